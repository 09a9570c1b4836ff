//! Regions worth offering on the k0rdent page. The API has no region list,
//! so the console remembers the regions used on this device and those seen
//! in instance self links, most recent first.

use supply_model::k0rdent_list::{region_choices, remember_region};

use super::storage::{self, Area};

const USED_KEY: &str = "supply.k0rdent_regions_used";
const SEEN_KEY: &str = "supply.k0rdent_regions_seen";
/// How many of each are kept.
const KEEP: usize = 12;

fn read(key: &str) -> Vec<String> {
    storage::read(Area::Local, key)
        .map(|text| {
            text.lines()
                .map(str::to_owned)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn write(key: &str, regions: &[String]) {
    storage::write(Area::Local, key, &regions.join("\n"));
}

/// A region the user opened a list or an instance in.
pub(crate) fn remember_used(region: &str) {
    write(USED_KEY, &remember_region(&read(USED_KEY), region, KEEP));
}

/// The regions of these instance self links.
pub(crate) fn remember_seen<'a>(links: impl IntoIterator<Item = &'a str>) {
    let seen = read(SEEN_KEY);
    let found = region_choices(&[], links, KEEP);
    if found.iter().all(|region| seen.contains(region)) {
        return;
    }
    let mut next = found;
    next.extend(seen);
    write(SEEN_KEY, &region_choices(&next, [], KEEP));
}

/// Used regions first, then seen ones; each once.
pub(crate) fn choices() -> Vec<String> {
    let mut all = read(USED_KEY);
    all.extend(read(SEEN_KEY));
    region_choices(&all, [], KEEP * 2)
}
