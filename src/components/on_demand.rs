//! Code fetched when it is first needed: the lazy pages (lib.rs's
//! `lazy_page!`), parts of a page that only some visits use and the YAML
//! parser (state/yaml_reader.rs; these are listed in `ON_DEMAND` in
//! scripts/tools/split-build.mjs). With the split build each is a split
//! point of its own; without it, it is made at once.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

/// Declares `$name`, an async function giving the part once its code is
/// there (an error when it cannot be fetched), and `preload`, which fetches
/// the code in the background. Without the split build it is made at once.
macro_rules! on_demand_part {
    ($chunk:ident, fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        // As in lib.rs's lazy_page!: rustfmt re-indents the attribute.
        #[rustfmt::skip]
        mod $chunk {
            use super::*;

            #[::leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                preload(load),
                fallible
            )]
            pub(crate) fn $name($($arg: $ty),*) -> Result<$ret, ::leptos::wasm_split::SplitLoaderError> {
                Ok($body)
            }
        }
        #[cfg(feature = "split")]
        pub(crate) use self::$chunk::{load as preload, $name};

        #[cfg(not(feature = "split"))]
        pub(crate) async fn $name($($arg: $ty),*) -> Result<$ret, ::leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }

        /// Nothing to fetch without the split build.
        #[cfg(not(feature = "split"))]
        pub(crate) async fn preload() -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
            Ok(())
        }
    };
}
pub(crate) use on_demand_part;

/// The part once its code is here; where it cannot be fetched, says so.
pub(crate) fn shown_when_loaded(
    what: &'static str,
    part: impl Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
) -> impl IntoView {
    // The split loader's future is the browser's, not Send: it is polled
    // on this thread only, which the wrapper checks.
    Suspend::new(SendWrapper::new(async move {
        match part.await {
            Ok(view) => view,
            Err(_) => view! {
                <p class="field-error" role="alert">
                    {format!("The {what} could not be loaded: the connection may have dropped. Reload the page to try again.")}
                </p>
            }
            .into_any(),
        }
    }))
}
