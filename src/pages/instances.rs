//! `/k0rdent/regions/:region/projects/:project/instances`: a project's
//! instances, a page at a time (`nextPageToken`), with a page size, a
//! lifecycle and text filter and a sort over the page shown. All of it is
//! in the URL, so a reload or a shared link comes back to the same place.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use supply_model::k0rdent::next_token;
use supply_model::k0rdent_list::{InstancesQuery, Position, ProjectRef};
use supply_model::routes::{param, Page, Route};

use crate::api::{k0rdent as api, use_remote};
use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::components::error_panel::ErrorPanel;
use crate::components::k0rdent::instance_filters::InstanceFilters;
use crate::components::k0rdent::instances_table::InstancesTable;
use crate::components::k0rdent::pager::Pager;
use crate::state::k0rdent_places;
use crate::state::k0rdent_session::use_k0rdent_session;
use crate::state::route::link;

#[component]
pub(crate) fn InstancesPage() -> impl IntoView {
    let params = use_params_map();
    let place = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get("region").unwrap_or_default(),
                p.get("project").unwrap_or_default(),
            )
        })
    });
    move || {
        let (region, project) = place.get();
        match ProjectRef::check(&region, &project) {
            Ok(project) => Either::Left(view! { <InstancesView project /> }),
            Err(errors) => {
                let reasons = [errors.region, errors.project]
                    .into_iter()
                    .flatten()
                    .map(|why| view! { <li>{why}</li> })
                    .collect_view();
                Either::Right(view! {
                    <section class="page instances" aria-labelledby="instances-title">
                        <h1 id="instances-title">"k0rdent instances"</h1>
                        <Alert title="This address does not name a k0rdent project">
                            <AlertMessage slot list=true>{reasons}</AlertMessage>
                            <AlertAction slot>
                                "Nothing was sent. " <A href=link(&Route::K0rdent)>"Choose a project"</A> "."
                            </AlertAction>
                        </Alert>
                    </section>
                })
            }
        }
    }
}

#[component]
fn InstancesView(project: ProjectRef) -> impl IntoView {
    let k0rdent = use_k0rdent_session();
    let location = use_location();
    let navigate = use_navigate();
    let base_path = project.console_path();

    let query = Memo::new(move |_| InstancesQuery::from_query_string(&location.search.get()));
    let position = Memo::new(move |_| query.with(|q| q.position.clone()));
    let go = {
        let base_path = base_path.clone();
        Callback::new(move |(next, replace): (InstancesQuery, bool)| {
            let search = next.to_query_string();
            let path = if search.is_empty() {
                base_path.clone()
            } else {
                format!("{base_path}?{search}")
            };
            navigate(
                &path,
                NavigateOptions {
                    scroll: false,
                    replace,
                    ..Default::default()
                },
            );
        })
    };
    let move_to = Callback::new(move |position: Position| {
        let mut next = query.get_untracked();
        next.position = position;
        go.run((next, false));
    });

    let list_project = project.clone();
    let page = use_remote(move || {
        let at = position.get();
        api::instances(
            k0rdent,
            &list_project,
            at.page_token.as_deref(),
            at.page_size,
        )
    });
    // A list that answered: its region is worth offering next time, and so
    // are the regions its instances' self links name.
    let region = project.region.clone();
    Effect::new(move |_| {
        page.data.with(|data| {
            if let Some(data) = data {
                k0rdent_places::remember_used(&region);
                k0rdent_places::remember_seen(
                    data.instances.iter().filter_map(|i| i.self_link.as_deref()),
                );
            }
        })
    });
    let retry = Callback::new(move |()| page.reload());

    let shown = Memo::new(move |_| {
        page.data.with(|data| {
            let instances = data
                .as_ref()
                .map(|d| d.instances.as_slice())
                .unwrap_or_default();
            query.with(|q| q.select(instances))
        })
    });
    let next = move || {
        page.data.with(|d| {
            d.as_ref()
                .and_then(|p| next_token(&p.next_page_token).map(str::to_owned))
        })
    };
    let summary = move || {
        let on_page = page
            .data
            .with(|d| d.as_ref().map_or(0, |p| p.instances.len()));
        let shown = shown.with(Vec::len);
        let number = position.with(Position::page_number);
        let more = if next().is_some() {
            "; more on the next pages"
        } else {
            ""
        };
        format!("Page {number}: {shown} of the {on_page} instances on this page shown{more}.")
    };
    let problem_hint = move || {
        page.error.with(|e| {
            let status = e.as_ref().and_then(|e| e.status())?;
            let with_token = position.with(|p| p.page_token.is_some());
            match status {
                400 if with_token => Some(view! {
                    <p class="notice">
                        "This link's place in the list (its page token) is not valid any more. "
                        <button type="button" on:click=move |_| move_to.run(position.get_untracked().first())>
                            "Go to the first page"
                        </button>
                    </p>
                }.into_any()),
                404 => Some(view! {
                    <p class="notice">
                        "The region or the project in this address does not exist, or this token cannot see it. "
                        <A href=link(&Route::K0rdent)>"Choose another project"</A> "."
                    </p>
                }.into_any()),
                _ => None,
            }
        })
    };
    let empty = move || {
        let answered = page.data.with(Option::is_some);
        let nothing_on_page = page
            .data
            .with(|d| d.as_ref().is_some_and(|p| p.instances.is_empty()));
        let nothing_shown = shown.with(Vec::is_empty);
        match (answered, nothing_on_page, nothing_shown) {
            (true, true, _) => Some(
                view! { <p class="empty" role="status">"This project has no instances on this page."</p> },
            ),
            (true, false, true) => Some(
                view! { <p class="empty" role="status">"No instance on this page matches these filters."</p> },
            ),
            _ => None,
        }
    };
    let table_project = project.clone();
    let title = Page::Instances.heading_with(|name| match name {
        param::PROJECT => project.project.clone(),
        param::REGION => project.region.clone(),
        _ => String::new(),
    });

    view! {
        <section class="page instances" aria-labelledby="instances-title">
            <div class="page-heading">
                <h1 id="instances-title">{title}</h1>
                <button type="button" on:click=move |_| page.reload() disabled=move || page.loading.get()>
                    {move || if page.loading.get() { "Refreshing…" } else { "Refresh" }}
                </button>
            </div>
            <p class="lead">{Page::Instances.lead()}</p>
            <p class="muted">
                "Region " <code>{project.region.clone()}</code>
                ", project " <code>{project.project.clone()}</code> " · "
                <A href=link(&Route::K0rdent)>"All projects"</A>
            </p>
            <InstanceFilters query go position on_move=move_to />
            // The pager sits above the list and its summary: when a page
            // arrives it moves nothing on the page.
            <Pager
                label="Pages of instances"
                position=position.into()
                next=Signal::derive(next)
                first="First page"
                previous="Previous page"
                next_label="Next page"
                on_move=move_to
            />
            <p class="summary" aria-live="polite">{summary}</p>
            {move || page.error.get().map(|failure| view! {
                <ErrorPanel failure on_retry=retry api="k0rdent API" />
            })}
            {problem_hint}
            {move || match page.data.with(Option::is_some) {
                false => Either::Left(page.error.with(Option::is_none).then(|| view! {
                    <p role="status">"Loading instances…"</p>
                })),
                true => Either::Right(view! {
                    {empty}
                    <InstancesTable project=table_project.clone() page=page.data shown query go />
                }),
            }}
        </section>
    }
}
