//! `/k0rdent`: the projects (paged), a region to list their instances in,
//! and the form that opens one instance by region, project and id.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::k0rdent::{next_token, Project};
use supply_model::k0rdent_list::{Position, ProjectRef};
use supply_model::routes::{Page, Route};

use crate::api::{k0rdent as api, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::components::k0rdent::open_instance::{last_place, OpenInstanceForm};
use crate::components::k0rdent::pager::{PageSizeSelect, Pager};
use crate::state::base::at;
use crate::state::k0rdent_places;
use crate::state::k0rdent_session::use_k0rdent_session;
use crate::state::route::link;

#[component]
pub(crate) fn K0rdentPage() -> impl IntoView {
    let k0rdent = use_k0rdent_session();
    let (region, project) = last_place();
    view! {
        <section class="page k0rdent" aria-labelledby="k0rdent-title">
            <h1 id="k0rdent-title">{Page::K0rdent.heading()}</h1>
            <p class="lead">{Page::K0rdent.lead()}</p>
            {move || (!k0rdent.is_signed_in()).then(|| view! {
                <p class="notice">
                    "No k0rdent token is set in this browser: add it in "
                    <A href=link(&Route::Settings)>"Settings"</A> " first."
                </p>
            })}
            // The project list comes last, with its pager above it: when it
            // arrives it moves nothing on the page.
            <section class="open-by-id" aria-labelledby="k0rdent-open-title">
                <h2 id="k0rdent-open-title">"Open an instance by id"</h2>
                <OpenInstanceForm region=region.clone() project />
            </section>
            <Projects region />
        </section>
    }
}

/// The projects, a page at a time, each leading to its instances in the
/// region chosen above the list.
#[component]
fn Projects(region: String) -> impl IntoView {
    let k0rdent = use_k0rdent_session();
    let choices = k0rdent_places::choices();
    let region = RwSignal::new(if region.is_empty() {
        choices.first().cloned().unwrap_or_default()
    } else {
        region
    });
    let position = RwSignal::new(Position::default());
    let projects = use_remote(move || {
        let at = position.get();
        api::projects(k0rdent, at.page_token.as_deref(), at.page_size)
    });
    let retry = Callback::new(move |()| projects.reload());
    let on_move = Callback::new(move |to: Position| position.set(to));
    let region_error =
        Memo::new(move |_| region.with(|r| ProjectRef::check(r, "p").err().and_then(|e| e.region)));
    let next = move || {
        projects.data.with(|d| {
            d.as_ref()
                .and_then(|p| next_token(&p.next_page_token).map(str::to_owned))
        })
    };
    let options = choices
        .into_iter()
        .map(|region| view! { <option value=region></option> })
        .collect_view();
    let rows = move || {
        projects.data.with(|page| {
            page.as_ref().map(|page| {
                page.projects
                    .iter()
                    .map(|project| view! { <ProjectRow project=project.clone() region /> })
                    .collect_view()
            })
        })
    };

    view! {
        <section class="projects" aria-labelledby="k0rdent-projects-title">
            <h2 id="k0rdent-projects-title">"Projects"</h2>
            <div class="filters">
                <div class="field">
                    <label for="k0rdent-list-region">"Region to list instances in"</label>
                    <input
                        id="k0rdent-list-region"
                        type="text"
                        list="k0rdent-region-choices"
                        autocomplete="off"
                        spellcheck="false"
                        bind:value=region
                        aria-invalid=move || region_error.with(Option::is_some).to_string()
                        aria-describedby="k0rdent-list-region-hint k0rdent-list-region-error"
                    />
                    <datalist id="k0rdent-region-choices">{options}</datalist>
                    <p id="k0rdent-list-region-hint" class="hint">
                        "The API has no list of regions: the ones used on this device and those seen in instance links are offered."
                    </p>
                    <p id="k0rdent-list-region-error" class="field-error">{move || region_error.get()}</p>
                </div>
                <PageSizeSelect id="k0rdent-projects-size" label="Projects per page" position=position.into() on_move />
            </div>
            <Pager
                label="Pages of projects"
                position=position.into()
                next=Signal::derive(next)
                previous="Previous projects"
                next_label="Next projects"
                on_move
            />
            {move || projects.error.get().map(|failure| view! {
                <ErrorPanel failure on_retry=retry api="k0rdent API" />
            })}
            {move || match projects.data.with(Option::is_some) {
                false => Either::Left(projects.error.with(Option::is_none).then(|| view! {
                    <p role="status">"Loading projects…"</p>
                })),
                true => Either::Right(view! {
                    <table class="data projects-table" aria-label="Projects">
                        <thead>
                            <tr>
                                <th scope="col">"Project"</th>
                                <th scope="col">"Description"</th>
                                <th scope="col">"Organization"</th>
                                <th scope="col">"Instances"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }),
            }}
        </section>
    }
}

#[component]
fn ProjectRow(project: Project, region: RwSignal<String>) -> impl IntoView {
    let id = project.id.clone();
    let name = project
        .display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| id.clone());
    let link = move || {
        let place = region.with(|r| ProjectRef::check(r, &id).ok());
        match place {
            Some(place) => {
                let label = format!("Instances in {}", place.region);
                Either::Left(view! { <A href=at(&place.console_path())>{label}</A> })
            }
            None => Either::Right(view! { <span class="muted">"Enter a region above"</span> }),
        }
    };
    view! {
        <tr>
            <td>{name} <br /> <code class="muted">{project.id.clone()}</code></td>
            <td>{project.description.clone().unwrap_or_default()}</td>
            <td>{project.organization_id.clone().unwrap_or_default()}</td>
            <td>{link}</td>
        </tr>
    }
}
