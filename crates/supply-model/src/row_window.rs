//! Which rows of a long, windowed table are drawn: the ones in view, plus a
//! few on each side that the user can scroll to before the next draw. None
//! are drawn past either end, so a table at its top draws the rows in view
//! and the few below: every row drawn is one more to lay out and paint, and
//! the table's first layout was the longest task of a slow phone's visit.

/// Rows drawn, as a half-open range of positions in the filtered list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowWindow {
    pub start: usize,
    pub end: usize,
    /// Rows in the whole list, drawn or not.
    pub total: usize,
}

impl RowWindow {
    /// The window for a table scrolled `scroll_top` pixels, `viewport`
    /// pixels tall, with rows `row_height` tall, `overscan` rows drawn
    /// beyond each edge of the view, over `total` rows.
    pub fn new(
        scroll_top: f64,
        viewport: f64,
        row_height: f64,
        overscan: usize,
        total: usize,
    ) -> Self {
        // `as` saturates: a negative or NaN figure counts as zero rows.
        let first = (scroll_top / row_height) as usize;
        let in_view = (viewport / row_height).ceil() as usize;
        let start = first.saturating_sub(overscan).min(total);
        let end = first
            .saturating_add(in_view)
            .saturating_add(overscan)
            .min(total);
        Self { start, end, total }
    }

    /// Rows above the window, as many pixels as they would fill.
    pub fn space_above(&self, row_height: f64) -> f64 {
        self.start as f64 * row_height
    }

    /// Rows below the window, as many pixels as they would fill.
    pub fn space_below(&self, row_height: f64) -> f64 {
        (self.total - self.end) as f64 * row_height
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: f64 = 38.0;

    #[test]
    fn at_the_top_draws_the_rows_in_view_and_the_overscan_below_only() {
        // 576 px shows 15.2 rows: 16 drawn in view, 8 below.
        let window = RowWindow::new(0.0, 576.0, ROW, 8, 10_000);
        assert_eq!(
            window,
            RowWindow {
                start: 0,
                end: 24,
                total: 10_000
            }
        );
        assert_eq!(window.space_above(ROW), 0.0);
        assert_eq!(window.space_below(ROW), (10_000 - 24) as f64 * ROW);
    }

    #[test]
    fn in_the_middle_draws_the_overscan_on_both_sides() {
        // Scrolled to row 100 (3,800 px).
        let window = RowWindow::new(3_800.0, 576.0, ROW, 8, 10_000);
        assert_eq!((window.start, window.end), (92, 124));
        assert_eq!(window.space_above(ROW), 92.0 * ROW);
    }

    #[test]
    fn never_draws_past_the_last_row() {
        let window = RowWindow::new(3_800.0, 576.0, ROW, 8, 110);
        assert_eq!((window.start, window.end), (92, 110));
        assert_eq!(window.space_below(ROW), 0.0);
        // Scrolled past the end (the list just shrank under the scroll).
        let window = RowWindow::new(38_000.0, 576.0, ROW, 8, 5);
        assert_eq!((window.start, window.end), (5, 5));
    }

    #[test]
    fn a_short_list_is_drawn_whole_and_an_empty_one_not_at_all() {
        assert_eq!(
            RowWindow::new(0.0, 576.0, ROW, 8, 3),
            RowWindow {
                start: 0,
                end: 3,
                total: 3
            }
        );
        assert_eq!(
            RowWindow::new(0.0, 576.0, ROW, 8, 0),
            RowWindow {
                start: 0,
                end: 0,
                total: 0
            }
        );
    }

    #[test]
    fn odd_measures_count_as_none() {
        // A container not yet measured, or a scroll position the browser
        // reports below zero while bouncing.
        assert_eq!(
            RowWindow::new(-40.0, 0.0, ROW, 8, 100),
            RowWindow {
                start: 0,
                end: 8,
                total: 100
            }
        );
        assert_eq!(RowWindow::new(f64::NAN, 576.0, ROW, 8, 100).start, 0);
    }
}
