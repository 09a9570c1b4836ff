//! `/resources`: every resource of this token, filtered by status, vendor
//! and type, sorted by any column, with the hourly total and the cost so
//! far of what is shown; rows can be ticked for one bulk delete. Filters
//! and sort live in the URL.

use std::collections::BTreeSet;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use supply_model::pricing::format_usd;
use supply_model::resource_query::{distinct_values, total_hourly, ResourceQuery, ResourceSort};
use supply_model::routes::{Page, Route};

use crate::api::{supply, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::components::resources::bulk_delete::BulkDelete;
use crate::components::resources::list_filters::{ResourceChoices, ResourceFilters};
use crate::components::resources::list_table::ResourceTable;
use crate::state::session::use_session;
use crate::state::spend::use_spend;

#[component]
pub(crate) fn ResourcesPage() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();

    // The URL is the state: Back and a shared link give the same view.
    let query = Memo::new(move |_| ResourceQuery::from_query_string(&location.search.get()));
    let on_change = Callback::new(move |next: ResourceQuery| {
        let path = Route::Resources.href_with_query(&next.to_query_string());
        navigate(
            &path,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    let on_sort = Callback::new(move |sort: ResourceSort| {
        let mut next = query.get_untracked();
        next.sort = sort;
        on_change.run(next);
    });

    let resources = use_remote(move || supply::resources(session, None));
    let meter = use_spend();
    Effect::new(move |_| {
        resources.data.with(|data| {
            if let Some(list) = data {
                meter.feed_list(list);
            }
        })
    });
    // Ticked for a bulk delete; what is no longer listed drops out.
    let picked_ids = RwSignal::new(BTreeSet::<String>::new());
    let picked = Signal::derive(move || {
        resources.data.with(|data| {
            picked_ids.with(|ids| {
                data.as_deref()
                    .unwrap_or_default()
                    .iter()
                    .filter(|r| ids.contains(&r.resource_id))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let after_bulk = Callback::new(move |()| {
        picked_ids.set(BTreeSet::new());
        resources.reload();
    });
    let selected = Memo::new(move |_| {
        resources
            .data
            .with(|data| query.with(|q| q.select(data.as_deref().unwrap_or_default())))
    });
    let choices = Memo::new(move |_| {
        resources.data.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            ResourceChoices {
                statuses: distinct_values(data, |r| &r.status),
                vendors: distinct_values(data, |r| &r.vendor),
                types: distinct_values(data, |r| &r.resource_type),
            }
        })
    });
    let total = Memo::new(move |_| {
        resources.data.with(|data| {
            selected.with(|s| {
                format!(
                    "{}/hour",
                    format_usd(total_hourly(data.as_deref().unwrap_or_default(), s))
                )
            })
        })
    });
    let summary = move || {
        let shown = selected.with(Vec::len);
        let all = resources.data.with(|d| d.as_ref().map_or(0, Vec::len));
        format!("{shown} of {all} resources · {} in total", total.get())
    };
    let retry = Callback::new(move |()| resources.reload());
    let empty = move || {
        let nothing = selected.with(Vec::is_empty);
        let any = resources
            .data
            .with(|d| d.as_ref().is_some_and(|d| !d.is_empty()));
        match (nothing, any) {
            (true, true) => Some(view! { <p class="empty" role="status">"No resources match these filters."</p> }.into_any()),
            (true, false) => Some(view! { <p class="empty" role="status">"No resources yet: procure an offer to get one."</p> }.into_any()),
            _ => None,
        }
    };

    view! {
        <section class="page resources" aria-labelledby="resources-title">
            <div class="page-heading">
                <h1 id="resources-title">{Page::Resources.heading()}</h1>
                <button type="button" on:click=move |_| resources.reload() disabled=move || resources.loading.get()>
                    {move || if resources.loading.get() { "Refreshing…" } else { "Refresh" }}
                </button>
                <BulkDelete picked on_done=after_bulk />
                <p class="summary" aria-live="polite">{summary}</p>
            </div>
            <p class="lead">{Page::Resources.lead()}</p>
            <ResourceFilters query choices on_change />
            {move || resources.error.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            {move || match resources.data.with(Option::is_some) {
                true => Either::Left(view! {
                    {empty}
                    <ResourceTable resources=resources.data.into() selected query on_sort total=total picked=picked_ids />
                }),
                false => Either::Right(
                    resources.error.with(Option::is_none).then(|| view! { <p role="status">"Loading resources…"</p> }),
                ),
            }}
        </section>
    }
}
