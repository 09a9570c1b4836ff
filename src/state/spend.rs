//! The spend meter's state, shared by the header and the pages that read
//! resources: each list or resource they load updates it, and the header
//! asks on its own only when nothing has for a while.

use leptos::prelude::*;
use supply_model::spend::{Spend, SpendBook, SpendItem};
use supply_model::ResourceSummary;

/// The header asks for the list itself when no page has within this long.
pub(crate) const QUIET_MS: f64 = 60_000.0;

#[derive(Clone, Copy)]
pub(crate) struct SpendMeter {
    book: RwSignal<Option<SpendBook>>,
    /// When it was last fed (`Date.now()`), by a page or by the header.
    fed_at: StoredValue<f64>,
    /// The last read of the list failed, so the figure may be old.
    pub(crate) stale: RwSignal<bool>,
}

impl SpendMeter {
    pub(crate) fn new() -> Self {
        Self {
            book: RwSignal::new(None),
            fed_at: StoredValue::new(f64::NEG_INFINITY),
            stale: RwSignal::new(false),
        }
    }

    /// The figure, once a list has been read.
    pub(crate) fn spend(&self) -> Option<Spend> {
        self.book.with(|book| book.as_ref().map(SpendBook::spend))
    }

    pub(crate) fn feed_items(&self, items: Vec<SpendItem>) {
        self.book.set(Some(SpendBook::from_list(items)));
        self.stale.set(false);
        self.fed_at.set_value(js_sys::Date::now());
    }

    /// A whole list as a page read it.
    pub(crate) fn feed_list(&self, resources: &[ResourceSummary]) {
        self.feed_items(resources.iter().map(SpendItem::from).collect());
    }

    /// One resource as its page read it; ignored until a list is known,
    /// since one resource alone is not the total.
    pub(crate) fn feed_one(&self, resource: &ResourceSummary) {
        self.book.update(|book| {
            if let Some(book) = book {
                book.update(SpendItem::from(resource));
            }
        });
    }

    pub(crate) fn forget(&self) {
        self.book.set(None);
        self.stale.set(false);
        self.fed_at.set_value(f64::NEG_INFINITY);
    }

    pub(crate) fn quiet_for_long(&self) -> bool {
        js_sys::Date::now() - self.fed_at.get_value() >= QUIET_MS
    }
}

impl Default for SpendMeter {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) fn use_spend() -> SpendMeter {
    use_context::<SpendMeter>().unwrap_or_default()
}
