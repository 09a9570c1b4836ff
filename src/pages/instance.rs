//! `/k0rdent/regions/:region/projects/:project/instances/:id`: one k0rdent
//! compute instance, every field of the API's answer. While its lifecycle
//! is not final the page polls like the provisioning status page does.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::k0rdent::Instance;
use supply_model::k0rdent_list::ProjectRef;
use supply_model::k0rdent_view::{is_settled, InstanceRef, OpenErrors, Tone};
use supply_model::polling::{PollPolicy, PollStop, Settle};
use supply_model::routes::{Page, Route};
use supply_model::ApiFailure;

use crate::api::k0rdent as k0rdent_api;
use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::components::error_panel::ErrorPanel;
use crate::components::k0rdent::details::InstanceDetails;
use crate::components::k0rdent::open_instance::OpenInstanceForm;
use crate::state::base::at;
use crate::state::k0rdent_places;
use crate::state::k0rdent_session::use_k0rdent_session;
use crate::state::poller::{use_polling, PollRequest};
use crate::state::route::link;
use crate::state::route::use_route_value;

#[component]
pub(crate) fn InstancePage() -> impl IntoView {
    let target = use_route_value(Page::Instance, |r| match r {
        Route::Instance {
            region,
            project,
            id,
        } => Some((region.clone(), project.clone(), id.clone())),
        _ => None,
    });
    // Another instance opened from this page gets a view of its own, so
    // the last one's polling ends with it.
    move || {
        let (region, project, id) = target.get();
        match InstanceRef::check(&region, &project, &id) {
            Ok(target) => Either::Left(view! { <InstanceView target /> }),
            Err(errors) => Either::Right(view! { <NotAnInstance region project id errors /> }),
        }
    }
}

/// An address whose id (or region, project) k0rdent would refuse: said
/// here, and nothing is sent.
#[component]
fn NotAnInstance(region: String, project: String, id: String, errors: OpenErrors) -> impl IntoView {
    let reasons = [errors.region, errors.project, errors.id]
        .into_iter()
        .flatten()
        .map(|why| view! { <li>{why}</li> })
        .collect_view();
    view! {
        <section class="page instance" aria-labelledby="instance-title">
            <h1 id="instance-title">{Page::Instance.heading()}</h1>
            <Alert title="This address does not name a k0rdent instance">
                <AlertMessage slot list=true>{reasons}</AlertMessage>
                <AlertAction slot>"Nothing was sent. Correct it below."</AlertAction>
            </Alert>
            <OpenInstanceForm region project id />
        </section>
    }
}

#[component]
fn InstanceView(target: InstanceRef) -> impl IntoView {
    let k0rdent = use_k0rdent_session();
    let instance = RwSignal::new(None::<Instance>);
    let failure = RwSignal::new(None::<ApiFailure>);

    let asked = target.clone();
    let poller = use_polling(
        PollPolicy::default(),
        move || {
            if k0rdent.token().with_untracked(Option::is_none) {
                return Err(ApiFailure::NotConfigured);
            }
            Ok(Box::pin(k0rdent_api::instance(k0rdent, &asked)) as PollRequest<_>)
        },
        |answer| Settle::final_if(is_settled(answer)),
        move |result| match result {
            Ok(answer) => {
                if let Some(link) = answer.self_link.as_deref() {
                    k0rdent_places::remember_seen([link]);
                }
                // An unchanged answer leaves the page as it is: folded
                // values the user opened stay open.
                if instance.with_untracked(|shown| shown.as_ref() != Some(&answer)) {
                    instance.set(Some(answer));
                }
                failure.set(None);
            }
            Err(ApiFailure::Aborted) => {}
            Err(err) => failure.set(Some(err)),
        },
    );
    let retry = Callback::new(move |()| poller.restart());

    let title = move || {
        instance.with(|i| {
            i.as_ref()
                .and_then(|i| i.display_name.clone().filter(|n| !n.is_empty()))
                .unwrap_or_else(|| Page::Instance.heading().to_owned())
        })
    };
    let lifecycle = move || {
        instance.with(|i| {
            let lifecycle = i.as_ref().and_then(|i| i.lifecycle.clone());
            let status = lifecycle.as_ref().and_then(|l| l.status.clone());
            let message = lifecycle
                .and_then(|l| l.status_message)
                .filter(|m| !m.is_empty());
            (status, message)
        })
    };
    let badge = move || {
        let (status, _) = lifecycle();
        let loading = instance.with(Option::is_none);
        let text = match (&status, loading) {
            (Some(status), _) => status.clone(),
            (None, true) => "loading".to_owned(),
            (None, false) => "unknown".to_owned(),
        };
        let tone = Tone::of(status.as_deref());
        view! { <strong class=tone.class() title=tone.meaning()>{text}</strong> }
    };
    let polling_note = move || {
        let settled = instance.with(|i| i.as_ref().map(is_settled));
        match (poller.stopped.get(), settled) {
            (Some(PollStop::Finished), _) => {
                Some("Polling stopped: the lifecycle is final.".to_owned())
            }
            (None, Some(false)) => Some(format!(
                "Checking every {} s until the lifecycle is final.",
                PollPolicy::default().interval_secs
            )),
            _ => None,
        }
    };
    let list_path = ProjectRef {
        region: target.region.clone(),
        project: target.project.clone(),
    }
    .console_path();
    let (region, project, id) = (
        target.region.clone(),
        target.project.clone(),
        target.id.clone(),
    );

    view! {
        <section class="page instance" aria-labelledby="instance-title">
            <div class="page-heading">
                <h1 id="instance-title">{title}</h1>
                <button
                    type="button"
                    on:click=move |_| retry.run(())
                    disabled=move || poller.in_flight.get()
                >
                    "Refresh now"
                </button>
            </div>
            <p class="lead">{Page::Instance.lead()}</p>
            <p class="muted">
                "k0rdent instance " <code>{target.id.clone()}</code>
                " in region " <code>{target.region.clone()}</code>
                ", project " <code>{target.project.clone()}</code> " · "
                <A href=at(&list_path)>"All instances of this project"</A>
            </p>
            // Above the details, so their arrival moves nothing on the page.
            <details class="open-another">
                <summary>"Open another instance"</summary>
                <OpenInstanceForm region project id />
            </details>
            <p class="status-line" role="status">
                "Lifecycle: " {badge}
                {move || lifecycle().1.map(|message| format!(" · {message}"))}
            </p>
            {move || polling_note().map(|note| view! { <p class="muted">{note}</p> })}
            {move || failure.get().map(|failure| {
                let auth = failure.is_auth();
                view! {
                    <ErrorPanel failure on_retry=retry api="k0rdent API" />
                    {auth.then(|| view! {
                        <p class="notice">
                            "The k0rdent API has its own token, set apart from the Supply token in "
                            <A href=link(&Route::Settings)>"Settings"</A> "."
                        </p>
                    })}
                }
            })}
            {move || instance.get().map(|instance| view! { <InstanceDetails instance /> })}
        </section>
    }
}
