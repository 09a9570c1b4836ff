//! The Supply console: providers, the shell and the route table.
//!
//! Only [`App`] leaves the crate; everything else is `pub(crate)` in
//! private modules, so rustc reports dead code. `unreachable_pub` (on for
//! the workspace) is off here: the `#[component]` macro's generated
//! builder trips it on every component, whatever its visibility.
#![allow(unreachable_pub)]

mod api;
mod components;
mod pages;
mod preloading;
mod state;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::Lazy;
use supply_model::routes::Page;

#[cfg(feature = "split")]
use components::chunk_failed::{ChunkFailed, PageLoad};
use components::header::Header;
use components::new_build_notice::NewBuildNotice;
use components::require_token::RequireToken;
use components::toast::{use_toasts, ToastArea, Toasts};
use pages::{
    instance::InstancePage, instances::InstancesPage, k0rdent::K0rdentPage,
    not_found::NotFoundPage, offers::OffersPage, procure::ProcurePage, resource::ResourcePage,
    resources::ResourcesPage, settings::SettingsPage, status::StatusPage,
};
use state::config::{self, RuntimeConfig};
use state::route::Pattern;
use state::session::Session;

/// A route whose view is loaded on demand: with the `split` feature its
/// code goes to its own wasm chunk (see scripts/tools/split-build.mjs);
/// without it, it stays in the main wasm, so plain builds and the
/// wasm-bindgen tests work unchanged.
///
/// The split point is declared with wasm_split's `fallible` option rather
/// than leptos_router's `#[lazy_route]`, whose generated loader panics
/// ("load callback should succeed") when a chunk cannot be fetched: after
/// a redeploy or on a dropped connection that panic aborted the whole
/// console. Here a failed load becomes [`ChunkFailed`], and the next try
/// fetches again (the loader keeps successes only).
macro_rules! lazy_page {
    ($chunk:ident, $route:ident, $page:ident) => {
        pub(crate) struct $route;

        mod $chunk {
            use super::*;
            use crate::components::on_demand::on_demand_part;

            on_demand_part!(
                $chunk,
                fn view() -> AnyView {
                    view! { <$page /> }.into_any()
                }
            );

            /// Another try at fetching the code, for [`ChunkFailed`].
            #[cfg(feature = "split")]
            pub(super) fn again() -> PageLoad {
                Box::pin(async { view().await.ok() })
            }
        }

        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                match $chunk::view().await {
                    Ok(page) => page,
                    #[cfg(feature = "split")]
                    Err(_) => view! { <ChunkFailed retry=$chunk::again /> }.into_any(),
                    #[cfg(not(feature = "split"))]
                    Err(_) => ().into_any(),
                }
            }

            async fn preload() {
                // A failure here is met again, and shown, when the page opens.
                let _ = $chunk::preload().await;
            }
        }
    };
}

lazy_page!(offers_chunk, OffersRoute, OffersPage);
lazy_page!(status_chunk, StatusRoute, StatusPage);
lazy_page!(procure_chunk, ProcureRoute, ProcurePage);
lazy_page!(k0rdent_chunk, K0rdentRoute, K0rdentPage);
lazy_page!(instance_chunk, InstanceRoute, InstancePage);
lazy_page!(instances_chunk, InstancesRoute, InstancesPage);
lazy_page!(resources_chunk, ResourcesRoute, ResourcesPage);
lazy_page!(resource_chunk, ResourceRoute, ResourcePage);

/// Loads the code of the page the address names. The console waits for it
/// before the router starts: a router left while the first page's chunk is
/// still loading would show that page late, over the one navigated to.
async fn load_first_page() {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    // Signed out, every page sends the visit to settings, which is in the
    // main module.
    if !Session::is_stored() {
        return;
    }
    if let Some(page) = supply_model::routes::page_for_path(&state::base::route_path(&path)) {
        preloading::preload(page).await;
    }
}

/// index.html's header and page shell, there until the console draws its
/// page, in the same frame as the console shows.
fn remove_boot_shell() {
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot-shell"))
    {
        shell.remove();
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(Toasts::new());
    let loaded = RwSignal::new(None::<Result<RuntimeConfig, String>>);
    let first_page_ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        loaded.set(Some(config::load().await));
    });
    leptos::task::spawn_local(async move {
        load_first_page().await;
        first_page_ready.set(true);
    });
    view! {
        {move || match loaded.get().filter(|_| first_page_ready.get()) {
            // index.html's shell says so meanwhile.
            None => Either::Left(()),
            Some(result) => {
                let (config, problem) = match result {
                    Ok(config) => (config, None),
                    Err(problem) => (RuntimeConfig::default(), Some(problem)),
                };
                Either::Right(view! { <Console config problem /> })
            }
        }}
        <ToastArea />
    }
}

/// The console once `config.json` is known. It draws in two tasks: the
/// header (hidden), then the page, so that neither holds a slow phone as
/// long as both did (V8 compiles each wasm function on its first call, on
/// the main thread); index.html's shell stays on screen until the page is
/// there and the whole console shows at once.
#[component]
fn Console(config: RuntimeConfig, problem: Option<String>) -> impl IntoView {
    let page_drawn = components::later::next_task();
    let session = state::session::provide_sessions(&config);
    components::require_token::redirect_signed_out_visit(
        session.token().with_untracked(Option::is_some),
    );
    provide_context(state::discovery::DiscoveryState::new());
    provide_context(state::spend::SpendMeter::new());
    provide_context(state::build_check::BuildCheck::new());
    if let Some(demo) = config.demo.clone() {
        provide_context(demo);
    }
    preloading::preload_when_signed_in(session);
    if let Some(problem) = problem {
        use_toasts().push(format!("{problem}; enter the API base URL in Settings."));
    }
    view! {
        <Router base=state::base::router_base()>
            <div class="console" hidden=move || !page_drawn.get()>
                <RequireToken />
                <Header />
                <NewBuildNotice />
                {move || page_drawn.get().then(|| view! { <Pages /> })}
            </div>
        </Router>
    }
}

/// The page the address names, in place of index.html's shell.
#[component]
fn Pages() -> impl IntoView {
    remove_boot_shell();
    view! {
        <main id="main" tabindex="-1">
            <Routes fallback=NotFoundPage>
                <Route
                    path=Pattern(Page::Home)
                    view=|| view! { <Redirect path=supply_model::routes::Route::Offers.href() /> }
                />
                <Route path=Pattern(Page::Settings) view=SettingsPage />
                <Route path=Pattern(Page::Offers) view={Lazy::<OffersRoute>::new()} />
                <Route path=Pattern(Page::Procure) view={Lazy::<ProcureRoute>::new()} />
                <Route path=Pattern(Page::Status) view={Lazy::<StatusRoute>::new()} />
                <Route path=Pattern(Page::Resources) view={Lazy::<ResourcesRoute>::new()} />
                <Route path=Pattern(Page::Resource) view={Lazy::<ResourceRoute>::new()} />
                <Route path=Pattern(Page::K0rdent) view={Lazy::<K0rdentRoute>::new()} />
                <Route path=Pattern(Page::Instances) view={Lazy::<InstancesRoute>::new()} />
                <Route path=Pattern(Page::Instance) view={Lazy::<InstanceRoute>::new()} />
            </Routes>
        </main>
    }
}
