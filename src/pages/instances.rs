//! `/k0rdent/regions/:region/projects/:project/instances`: a project's
//! instances, a page at a time (`nextPageToken`), with a page size, a
//! lifecycle and text filter and a sort over the page shown. All of it is
//! in the URL, so a reload or a shared link comes back to the same place.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use supply_model::k0rdent::{next_token, Instance, LifecycleState};
use supply_model::k0rdent_list::{
    gpu_total, instance_name, InstanceSort, InstanceSortKey, InstancesQuery, Position, ProjectRef,
    PAGE_SIZES,
};
use supply_model::k0rdent_view::Tone;
use supply_model::time::relative_to;

use crate::api::{k0rdent as api, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::components::sort_header::SortHeader;
use crate::state::base::at;
use crate::state::clock::use_now;
use crate::state::k0rdent_places;
use crate::state::k0rdent_session::use_k0rdent_session;

#[component]
pub fn InstancesPage() -> impl IntoView {
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
                        <div class="error-panel" role="alert">
                            <h2 class="error-panel__title">"This address does not name a k0rdent project"</h2>
                            <ul class="error-panel__message">{reasons}</ul>
                            <p class="error-panel__action">
                                "Nothing was sent. " <A href=at("/k0rdent")>"Choose a project"</A> "."
                            </p>
                        </div>
                    </section>
                })
            }
        }
    }
}

const COLUMNS: [(&str, InstanceSortKey, bool); 4] = [
    ("Instance", InstanceSortKey::Name, false),
    ("Lifecycle", InstanceSortKey::Lifecycle, false),
    ("GPUs", InstanceSortKey::Gpus, true),
    ("Created", InstanceSortKey::Created, true),
];

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
    let move_to = move |position: Position| {
        let mut next = query.get_untracked();
        next.position = position;
        go.run((next, false));
    };

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
    let header_row = move || {
        COLUMNS
            .into_iter()
            .map(|(label, key, numeric)| {
                let direction = Signal::derive(move || {
                    query.with(|q| q.sort.filter(|s| s.key == key).map(|s| s.descending))
                });
                let on_click = Callback::new(move |()| {
                    let mut next = query.get_untracked();
                    next.sort = InstanceSort::toggled(next.sort, key);
                    go.run((next, false));
                });
                view! { <SortHeader label numeric direction on_click /> }
            })
            .collect_view()
    };
    let row_project = project.clone();
    let rows = move || {
        page.data.with(|data| {
            let instances = data.as_ref().map(|d| d.instances.as_slice()).unwrap_or_default();
            shown.with(|shown| {
                shown
                    .iter()
                    .filter_map(|&index| instances.get(index))
                    .map(|instance| view! { <InstanceRow instance=instance.clone() project=row_project.clone() /> })
                    .collect_view()
            })
        })
    };
    let problem_hint = move || {
        page.error.with(|e| {
            let status = e.as_ref().and_then(|e| e.status())?;
            let with_token = position.with(|p| p.page_token.is_some());
            match status {
                400 if with_token => Some(view! {
                    <p class="notice">
                        "This link's place in the list (its page token) is not valid any more. "
                        <button type="button" on:click=move |_| move_to(position.get_untracked().first())>
                            "Go to the first page"
                        </button>
                    </p>
                }.into_any()),
                404 => Some(view! {
                    <p class="notice">
                        "The region or the project in this address does not exist, or this token cannot see it. "
                        <A href=at("/k0rdent")>"Choose another project"</A> "."
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
    let lifecycle_options = LifecycleState::ALL
        .map(|state| {
            let value = state.as_str();
            view! {
                <option value=value selected=move || query.with(|q| q.lifecycle == Some(state))>{value}</option>
            }
        })
        .collect_view();
    let size_options = PAGE_SIZES
        .map(|size| {
            view! {
                <option value=size.to_string() selected=move || position.with(|p| p.page_size == size)>
                    {size.to_string()}
                </option>
            }
        })
        .collect_view();
    let text = RwSignal::new(query.get_untracked().text);
    let title = format!("Instances of {}", project.project);

    view! {
        <section class="page instances" aria-labelledby="instances-title">
            <div class="page-heading">
                <h1 id="instances-title">{title}</h1>
                <button type="button" on:click=move |_| page.reload() disabled=move || page.loading.get()>
                    {move || if page.loading.get() { "Refreshing…" } else { "Refresh" }}
                </button>
            </div>
            <p class="muted">
                "Region " <code>{project.region.clone()}</code>
                ", project " <code>{project.project.clone()}</code> " · "
                <A href=at("/k0rdent")>"All projects"</A>
            </p>
            <div class="filters" role="group" aria-label="Filter and page size">
                <div class="field">
                    <label for="instances-lifecycle">"Lifecycle"</label>
                    <select
                        id="instances-lifecycle"
                        on:change=move |ev| {
                            let mut next = query.get_untracked();
                            next.lifecycle = LifecycleState::parse(&event_target_value(&ev));
                            go.run((next, false));
                        }
                    >
                        <option value="" selected=move || query.with(|q| q.lifecycle.is_none())>"Any lifecycle"</option>
                        {lifecycle_options}
                    </select>
                </div>
                <div class="field">
                    <label for="instances-text">"Search this page"</label>
                    <input
                        id="instances-text"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="instances-text-hint"
                        prop:value=move || text.get()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            text.set(value.clone());
                            let mut next = query.get_untracked();
                            next.text = value;
                            go.run((next, true));
                        }
                    />
                    <p id="instances-text-hint" class="hint">"Name, id, hostname, GPU type or label."</p>
                </div>
                <div class="field">
                    <label for="instances-size">"Instances per page"</label>
                    <select
                        id="instances-size"
                        on:change=move |ev| {
                            let size = event_target_value(&ev).parse().unwrap_or_default();
                            move_to(position.get_untracked().with_size(size));
                        }
                    >
                        {size_options}
                    </select>
                </div>
            </div>
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
                    <table class="data instances-table" aria-label="Instances">
                        <thead><tr>{header_row()}<th scope="col">"Hostname"</th></tr></thead>
                        <tbody>{rows.clone()}</tbody>
                    </table>
                }),
            }}
            <nav class="pager" aria-label="Pages of instances">
                <button
                    type="button"
                    disabled=move || !position.with(Position::has_previous)
                    on:click=move |_| move_to(position.get_untracked().first())
                >
                    "First page"
                </button>
                <button
                    type="button"
                    disabled=move || !position.with(Position::has_previous)
                    on:click=move |_| move_to(position.get_untracked().previous())
                >
                    "Previous page"
                </button>
                <span>{move || format!("Page {}", position.with(Position::page_number))}</span>
                <button
                    type="button"
                    disabled=move || next().is_none()
                    on:click=move |_| {
                        if let Some(token) = next() {
                            move_to(position.get_untracked().next(&token));
                        }
                    }
                >
                    "Next page"
                </button>
            </nav>
        </section>
    }
}

#[component]
fn InstanceRow(instance: Instance, project: ProjectRef) -> impl IntoView {
    let now = use_now();
    let status = instance.lifecycle.as_ref().and_then(|l| l.status.clone());
    let tone = Tone::of(status.as_deref());
    let message = instance
        .lifecycle
        .as_ref()
        .and_then(|l| l.status_message.clone())
        .unwrap_or_default();
    let created = instance.created_at.as_ref().and_then(|t| t.parsed());
    let created_raw = instance
        .created_at
        .as_ref()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let link = at(&project.instance(&instance.id).console_path());
    let name = instance_name(&instance).to_owned();
    let gpus = gpu_total(&instance);
    let hostname = instance.hostname.clone().unwrap_or_default();
    let id = instance.id.clone();
    view! {
        <tr>
            <td>
                <A href=link>{name}</A>
                <br />
                <code class="muted">{id}</code>
            </td>
            <td>
                <strong class=tone.class() title=tone.meaning()>
                    {status.unwrap_or_else(|| "unknown".to_owned())}
                </strong>
                <span class="muted">{format!(" {message}")}</span>
            </td>
            <td class="num">{gpus}</td>
            <td class="num">
                {move || created.map_or_else(|| created_raw.clone(), |t| relative_to(t, now.get()))}
            </td>
            <td><code>{hostname}</code></td>
        </tr>
    }
}
