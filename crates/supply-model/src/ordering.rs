//! Sorting with missing values: the list pages sort by optional fields.

use std::cmp::Ordering;

/// Orders `a` and `b` (reversed when `descending`); a missing value goes
/// last in both directions.
pub(crate) fn missing_last<T: PartialOrd>(
    a: Option<T>,
    b: Option<T>,
    descending: bool,
) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            let order = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
            if descending {
                order.reverse()
            } else {
                order
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Sorts `order` (indices into some list) stably by `compare`. Every sort
/// in the console goes through here: the standard stable sort is a dozen
/// functions per element and comparator type, and the comparator is a
/// trait object, so the wasm holds one copy rather than one per call site
/// and key type.
#[inline(never)]
pub(crate) fn sort_indices(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Sorts `items` stably by `compare`, through [`sort_indices`].
pub(crate) fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &|a, b| match (items.get(a), items.get(b)) {
        (Some(a), Some(b)) => compare(a, b),
        _ => Ordering::Equal,
    });
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives each, worked out once per
/// item rather than once per comparison.
pub(crate) fn sort_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &|a, b| keys.get(a).cmp(&keys.get(b)));
    permute(items, order);
}

/// Rearranges `items` so that the item at `order[i]` comes `i`th.
fn permute<T>(items: &mut Vec<T>, order: Vec<usize>) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|at| slots.get_mut(at).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_is_stable_and_keeps_every_item() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            items,
            vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]
        );
        let mut names = vec!["b", "A", "a", "C"];
        sort_by_cached_key(&mut names, |n| n.to_lowercase());
        assert_eq!(names, vec!["A", "a", "b", "C"]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, Ord::cmp);
        assert!(empty.is_empty());
    }

    #[test]
    fn sort_indices_orders_by_the_comparator() {
        let values = [3.5_f64, -1.0, 2.0];
        let mut order = vec![0, 1, 2];
        sort_indices(&mut order, &|a, b| values[a].total_cmp(&values[b]));
        assert_eq!(order, vec![1, 2, 0]);
    }
}
