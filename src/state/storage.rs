//! Thin, never-panicking access to localStorage and sessionStorage. A
//! browser may refuse storage (private mode, quotas); the console then
//! works for this page view only.

use web_sys::Storage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Area {
    /// Kept on this device until signed out.
    Local,
    /// Gone when the browser session ends.
    Session,
}

fn area(area: Area) -> Option<Storage> {
    let window = web_sys::window()?;
    match area {
        Area::Local => window.local_storage().ok().flatten(),
        Area::Session => window.session_storage().ok().flatten(),
    }
}

pub(crate) fn read(which: Area, key: &str) -> Option<String> {
    area(which)?.get_item(key).ok().flatten()
}

/// Returns false when the browser refused to store it.
pub(crate) fn write(which: Area, key: &str, value: &str) -> bool {
    area(which).is_some_and(|storage| storage.set_item(key, value).is_ok())
}

pub(crate) fn remove(which: Area, key: &str) {
    if let Some(storage) = area(which) {
        let _ = storage.remove_item(key);
    }
}
