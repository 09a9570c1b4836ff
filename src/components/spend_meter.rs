//! The header's spend meter: the $/h of every resource not being deleted,
//! always in view, opening the resources page. Pages that read resources
//! keep it current; on its own it asks only when none has for a minute.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use supply_model::pricing::format_usd;
use supply_model::routes::Route;
use supply_model::text::or_dash;
use supply_model::ApiFailure;

use crate::api::supply;
use crate::state::poller::tab_hidden;
use crate::state::route::link;
use crate::state::session::use_session;
use crate::state::spend::use_spend;

/// The first look waits for the page, which may read the list itself.
const FIRST_LOOK: Duration = Duration::from_millis(1500);
const LOOK_EVERY: Duration = Duration::from_secs(60);

#[component]
pub(crate) fn SpendMeterLink() -> impl IntoView {
    let session = use_session();
    let meter = use_spend();
    // Another token or service: the figure was someone else's.
    Effect::new(move |previous: Option<(Option<String>, String)>| {
        let now = (session.token().get(), session.base_url().get());
        if previous.is_some_and(|previous| previous != now) {
            meter.forget();
        }
        now
    });
    let look = move || {
        if session.token().with_untracked(Option::is_none)
            || tab_hidden()
            || !meter.quiet_for_long()
        {
            return;
        }
        let request = supply::spend_items(session);
        spawn_local(async move {
            match request.await {
                Ok(items) => meter.feed_items(items),
                Err(ApiFailure::Aborted) => {}
                Err(_) => {
                    meter.stale.try_set(true);
                }
            }
        });
    };
    set_timeout(look, FIRST_LOOK);
    if let Ok(every) = set_interval_with_handle(look, LOOK_EVERY) {
        on_cleanup(move || every.clear());
    }

    let figure = move || {
        or_dash(
            meter
                .spend()
                .map(|spend| format!("{}/h", format_usd(spend.hourly))),
        )
    };
    let detail = move || {
        meter.spend().map(|spend| {
            let mut text = format!(
                "{} {}",
                spend.running,
                if spend.running == 1 {
                    "resource"
                } else {
                    "resources"
                }
            );
            if spend.deleting > 0 {
                text.push_str(&format!(" · {} deleting", spend.deleting));
            }
            text
        })
    };
    let title = move || {
        if meter.stale.get() {
            "The last read of your resources failed: this figure may be out of date."
        } else {
            "What your resources not being deleted cost per hour. Opens the resources page."
        }
    };
    view! {
        <Show when=move || session.is_signed_in()>
            <A href=link(&Route::Resources) attr:class="spend-meter" attr:title=title>
                <span class="spend-meter__label">"Running"</span>
                " "
                <strong class="spend-meter__figure">{figure}</strong>
                {move || detail().map(|d| view! { " " <span class="spend-meter__detail">{d}</span> })}
                {move || meter.stale.get().then_some(view! { <span class="spend-meter__stale">" (may be out of date)"</span> })}
            </A>
        </Show>
    }
}
