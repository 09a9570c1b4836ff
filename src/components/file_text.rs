//! Reading a text file the person picked or dropped, without trusting its
//! size: anything far past what a form takes is refused unread.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Files larger than this are not read at all.
const MAX_READ_BYTES: f64 = 1_048_576.0;

/// The file's text, or a sentence saying why not.
pub(crate) async fn read_text(file: File) -> Result<String, String> {
    let name = file.name();
    if file.size() > MAX_READ_BYTES {
        return Err(format!(
            "{name} is {} MB; that is far too large for this field.",
            supply_model::decimal::fixed(file.size() / 1_048_576.0, 1)
        ));
    }
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| format!("{name} could not be read as text."))
}

/// The first file of a file input's change event.
pub(crate) fn picked_file(ev: &web_sys::Event) -> Option<File> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    // Picking the same file again must fire `change` again.
    input.set_value("");
    file
}

/// The first file of a drop event.
pub(crate) fn dropped_file(ev: &web_sys::DragEvent) -> Option<File> {
    ev.data_transfer()?.files()?.get(0)
}

/// Reads `file` into `value` (trimmed when `trim`), or says in `notice`
/// why it could not.
pub(crate) fn load_into(
    file: File,
    value: RwSignal<String>,
    notice: RwSignal<Option<String>>,
    trim: bool,
) {
    spawn_local(async move {
        match read_text(file).await {
            Ok(text) => {
                let text = if trim { text.trim().to_owned() } else { text };
                value.try_set(text);
                notice.try_set(None);
            }
            Err(problem) => {
                notice.try_set(Some(problem));
            }
        }
    });
}
