//! Deleting one resource from its page: a confirmation that says what ends
//! and what survives, one request however fast the clicks, and an honest
//! next step for every answer. A lost answer is never followed by a second
//! DELETE until a read says the first did not go through.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use supply_model::decimal::fixed;
use supply_model::deletion::{
    after_failed_delete, confirms_delete, delete_plan, display_name, id_prefix, AfterFailedDelete,
    DeletePlan, Lifecycle,
};
use supply_model::pricing::{format_gb, format_usd};
use supply_model::routes::Route;
use supply_model::time::format_rfc3339;
use supply_model::{ApiFailure, ResourceSummary};

use crate::api::supply;
use crate::components::error_panel::ErrorPanel;
use crate::components::modal::Modal;
use crate::state::base::at;
use crate::state::session::{use_session, Session};
use crate::state::spend::{use_spend, SpendMeter};
use crate::state::storage::{self, Area};

/// Where the moment of a delete asked from this tab is kept, so the
/// frozen cost survives a reload.
fn asked_key(resource_id: &str) -> String {
    format!("supply.delete-asked.{resource_id}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeleteStage {
    Idle,
    Sending,
    /// Reading the resource after a lost answer.
    Checking,
}

/// The delete's state on one resource page.
#[derive(Clone, Copy)]
pub(crate) struct DeleteFlow {
    resource_id: StoredValue<String>,
    owner: StoredValue<Option<Owner>>,
    session: Session,
    meter: SpendMeter,
    pub(crate) open: RwSignal<bool>,
    pub(crate) stage: RwSignal<DeleteStage>,
    pub(crate) failure: RwSignal<Option<ApiFailure>>,
    /// The last answer was lost and no read has said what happened.
    pub(crate) unconfirmed: RwSignal<bool>,
    /// What the last answer meant, in words (409, a lost answer checked).
    pub(crate) notice: RwSignal<Option<String>>,
    /// When this tab asked for the delete.
    pub(crate) asked_at: RwSignal<Option<DateTime<Utc>>>,
    /// `force` is on offer: after a failed or stuck delete only.
    pub(crate) force_offered: RwSignal<bool>,
    /// Resources read for the plan: the linked volumes' prices.
    pub(crate) known: RwSignal<Vec<ResourceSummary>>,
}

impl DeleteFlow {
    /// Call from the page component: requests it makes are aborted when
    /// the page goes.
    pub(crate) fn new(resource_id: &str) -> Self {
        let asked_at = storage::read(Area::Session, &asked_key(resource_id))
            .and_then(|raw| supply_model::time::parse_timestamp(&raw));
        Self {
            resource_id: StoredValue::new(resource_id.to_owned()),
            owner: StoredValue::new(Owner::current()),
            session: use_session(),
            meter: use_spend(),
            open: RwSignal::new(false),
            stage: RwSignal::new(DeleteStage::Idle),
            failure: RwSignal::new(None),
            unconfirmed: RwSignal::new(false),
            notice: RwSignal::new(None),
            asked_at: RwSignal::new(asked_at),
            force_offered: RwSignal::new(false),
            known: RwSignal::new(Vec::new()),
        }
    }

    pub(crate) fn busy(&self) -> bool {
        self.stage.get() != DeleteStage::Idle
    }

    fn under_owner<T>(&self, make: impl FnOnce() -> T) -> Option<T> {
        self.owner
            .with_value(|owner| owner.as_ref().map(|owner| owner.with(make)))
    }

    /// Reads the whole list once, for the plan's prices and the meter.
    pub(crate) fn load_known(&self) {
        let (session, meter) = (self.session, self.meter);
        let Some(request) = self.under_owner(|| supply::resources(session, None)) else {
            return;
        };
        let known = self.known;
        spawn_local(async move {
            if let Ok(list) = request.await {
                meter.feed_list(&list);
                known.try_set(list);
            }
        });
    }

    fn mark_asked(&self, at: DateTime<Utc>) {
        let id = self.resource_id.get_value();
        storage::write(Area::Session, &asked_key(&id), &format_rfc3339(at, true));
        self.asked_at.set(Some(at));
    }

    /// The confirmed action: the DELETE, or after a lost answer the read
    /// that decides whether one is needed. `on_changed` reloads the page's
    /// resource (skipping the service's cooldown).
    pub(crate) fn confirm(&self, force: bool, on_changed: Callback<()>) {
        // One request at a time, however fast the clicks come.
        if self.stage.get_untracked() != DeleteStage::Idle {
            return;
        }
        if self.unconfirmed.get_untracked() {
            self.check(on_changed);
            return;
        }
        let session = self.session;
        let id = self.resource_id.get_value();
        let Some(request) = self.under_owner(|| supply::delete_resource(session, &id, force))
        else {
            return;
        };
        let sent_at = Utc::now();
        let flow = *self;
        flow.stage.set(DeleteStage::Sending);
        flow.failure.set(None);
        flow.notice.set(None);
        spawn_local(async move {
            let result = request.await;
            if flow.stage.try_set(DeleteStage::Idle).is_some() {
                return; // the page is gone
            }
            match result {
                Ok(answer) => {
                    flow.mark_asked(sent_at);
                    flow.force_offered.set(false);
                    flow.notice.set(Some(format!(
                        "Deletion started. The service said: “{}”",
                        answer.message
                    )));
                    flow.finish(on_changed);
                }
                Err(failure) => match after_failed_delete(&failure) {
                    AfterFailedDelete::AlreadyDeleted => {
                        flow.notice.set(Some(
                            "This resource was already deleted (409): nothing more was done. Its current state is shown below."
                                .into(),
                        ));
                        flow.finish(on_changed);
                    }
                    AfterFailedDelete::Unconfirmed => {
                        flow.unconfirmed.set(true);
                        flow.pending_sent_at(sent_at);
                        flow.check(on_changed);
                    }
                    AfterFailedDelete::Failed => {
                        flow.force_offered.set(true);
                        flow.failure.set(Some(failure));
                    }
                },
            }
        });
    }

    /// The moment a DELETE whose answer was lost went out, in case a read
    /// shows it went through.
    fn pending_sent_at(&self, at: DateTime<Utc>) {
        let id = self.resource_id.get_value();
        storage::write(
            Area::Session,
            &format!("{}.pending", asked_key(&id)),
            &format_rfc3339(at, true),
        );
    }

    fn take_pending_sent_at(&self) -> Option<DateTime<Utc>> {
        let key = format!("{}.pending", asked_key(&self.resource_id.get_value()));
        let at = storage::read(Area::Session, &key)
            .and_then(|raw| supply_model::time::parse_timestamp(&raw));
        storage::remove(Area::Session, &key);
        at
    }

    /// After a lost answer: reads the resource to learn whether the delete
    /// went through, before Retry may send another.
    fn check(&self, on_changed: Callback<()>) {
        let session = self.session;
        let id = self.resource_id.get_value();
        let Some(request) = self.under_owner(|| supply::fresh_resource(session, &id)) else {
            return;
        };
        let flow = *self;
        flow.stage.set(DeleteStage::Checking);
        flow.failure.set(None);
        spawn_local(async move {
            let result = request.await;
            if flow.stage.try_set(DeleteStage::Idle).is_some() {
                return;
            }
            match result {
                Ok(resource) if Lifecycle::of(&resource.status).is_ending() => {
                    flow.unconfirmed.set(false);
                    let sent = flow.take_pending_sent_at().unwrap_or_else(Utc::now);
                    flow.mark_asked(sent);
                    flow.notice.set(Some(format!(
                        "The connection dropped before the answer, but the delete went through: the resource is {}.",
                        resource.status
                    )));
                    flow.finish(on_changed);
                }
                Ok(resource) => {
                    flow.unconfirmed.set(false);
                    flow.take_pending_sent_at();
                    flow.force_offered.set(true);
                    flow.failure.set(Some(ApiFailure::Network {
                        origin: supply_model::session::origin_of(
                            &session.base_url().get_untracked(),
                        )
                        .to_owned(),
                    }));
                    flow.notice.set(Some(format!(
                        "The connection dropped before the answer, and the resource is still {}: nothing was deleted. Retry sends the delete again.",
                        resource.status
                    )));
                }
                Err(failure) => {
                    flow.notice.set(Some(
                        "The connection dropped before the answer, and the resource could not be read to learn whether the delete went through. Retry reads it again before anything else is sent."
                            .into(),
                    ));
                    flow.failure.set(Some(failure));
                }
            }
        });
    }

    fn finish(&self, on_changed: Callback<()>) {
        self.open.set(false);
        on_changed.run(());
        // The dialog's opener may now be disabled: take focus to the news.
        request_animation_frame(|| {
            if let Some(status) = document().get_element_by_id("deletion-status") {
                use wasm_bindgen::JsCast;
                if let Ok(status) = status.dyn_into::<web_sys::HtmlElement>() {
                    let _ = status.focus();
                }
            }
        });
    }
}

fn hourly(price: Option<f64>) -> String {
    price.map_or_else(
        || "price not given".to_owned(),
        |p| format!("{}/h", format_usd(p)),
    )
}

/// What the delete ends and what it leaves, as lists.
#[component]
fn PlanLists(plan: DeletePlan) -> impl IntoView {
    let surviving_total = plan.surviving_hourly();
    let unknown = plan.surviving_price_unknown();
    let ip = plan
        .external_ip
        .clone()
        .map(|ip| view! { " at " <code>{ip}</code> });
    let ephemeral = plan
        .ephemeral
        .iter()
        .map(|volume| {
            let size = volume.size_gb.map(|gb| format!(" ({})", format_gb(gb)));
            let kind = volume.kind.clone().map(|k| format!(", {k}"));
            view! {
                <li>
                    "Ephemeral storage " <strong>{volume.name.clone()}</strong> {size} {kind}
                    ": deleted with it, and its data is lost"
                </li>
            }
        })
        .collect_view();
    let nothing_survives = plan.survives.is_empty();
    let survives = plan
        .survives
        .into_iter()
        .map(|volume| {
            let href = Route::Resource {
                resource_id: volume.resource_id.clone(),
            }
            .href();
            view! {
                <li>
                    "Persistent volume " <A href=at(&href)>{volume.name}</A>
                    ": kept, and still billed at " {hourly(volume.hourly)}
                </li>
            }
        })
        .collect_view();
    view! {
        <h3>"Ends now"</h3>
        <ul class="plan plan--ends">
            <li>
                {plan.resource_type} " " <strong>{plan.name}</strong> {ip}
                ": terminated on the vendor; " {hourly(plan.hourly)} " stops"
            </li>
            {ephemeral}
        </ul>
        <h3>"Survives"</h3>
        {if nothing_survives {
            view! { <p class="plan plan--none">"Nothing: no persistent volume is linked to it."</p> }.into_any()
        } else {
            view! {
                <ul class="plan plan--survives">{survives}</ul>
                <p class="plan-total">
                    "Still billed after the delete: " <strong>{format!("{}/h", format_usd(surviving_total))}</strong>
                    {unknown.then_some(" (and volumes whose price is not known yet)")}
                </p>
            }
            .into_any()
        }}
    }
}

/// The confirmation dialog for deleting `resource`.
#[component]
pub(crate) fn DeleteDialog(
    resource: Memo<Option<ResourceSummary>>,
    flow: DeleteFlow,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    view! {
        <Modal open=flow.open labelled_by="delete-title">
            <DeleteForm resource flow on_changed />
        </Modal>
    }
}

#[component]
fn DeleteForm(
    resource: Memo<Option<ResourceSummary>>,
    flow: DeleteFlow,
    on_changed: Callback<()>,
) -> impl IntoView {
    flow.load_known();
    let typed = RwSignal::new(String::new());
    let force = RwSignal::new(false);
    let confirmed =
        move || resource.with(|r| r.as_ref().is_some_and(|r| confirms_delete(r, &typed.get())));
    let plan = Memo::new(move |_| {
        resource.with(|r| {
            r.as_ref()
                .map(|r| flow.known.with(|known| delete_plan(r, known)))
        })
    });
    let name = move || resource.with(|r| r.as_ref().and_then(display_name).map(str::to_owned));
    let prefix = move || {
        resource.with(|r| {
            r.as_ref()
                .map(|r| id_prefix(&r.resource_id))
                .unwrap_or_default()
        })
    };
    let vendor = move || {
        resource.with(|r| {
            r.as_ref()
                .map(|r| r.vendor.clone())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "the vendor".into())
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if confirmed() || flow.unconfirmed.get_untracked() {
            flow.confirm(force.get_untracked(), on_changed);
        }
    };
    let label = move || match flow.stage.get() {
        DeleteStage::Sending => "Deleting…",
        DeleteStage::Checking => "Checking…",
        DeleteStage::Idle if flow.unconfirmed.get() => "Check whether it was deleted",
        DeleteStage::Idle if flow.failure.with(Option::is_some) => "Retry delete",
        DeleteStage::Idle => "Delete resource",
    };
    let retry = Callback::new(move |()| flow.confirm(force.get_untracked(), on_changed));
    view! {
        <form class="modal__body delete-form" on:submit=submit novalidate=true>
            <h2 id="delete-title">
                "Delete " {move || name().unwrap_or_else(|| "this resource".into())} "?"
            </h2>
            <p>"This terminates it on " {vendor} ". It cannot be undone."</p>
            {move || plan.get().map(|plan| view! { <PlanLists plan /> })}
            <label for="delete-confirm">
                "To confirm, type "
                {move || name().map(|n| view! { <code>{n}</code> " or " })}
                "the first 8 characters of its ID, " <code>{prefix}</code>
            </label>
            <input
                id="delete-confirm"
                type="text"
                autocomplete="off"
                spellcheck="false"
                prop:value=typed
                on:input=move |ev| typed.set(event_target_value(&ev))
                disabled=move || flow.busy()
            />
            {move || flow.force_offered.get().then(|| view! {
                <div class="force">
                    <label>
                        <input type="checkbox" prop:checked=force on:change=move |ev| force.set(event_target_checked(&ev)) />
                        " Force the delete (force=true)"
                    </label>
                    <p class="hint">
                        "Offered because the delete failed or is stuck. The service's reference does not say what force skips; its lifecycle guide deletes with it."
                    </p>
                </div>
            })}
            {move || flow.notice.get().map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
            {move || flow.failure.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            <div class="buttons">
                <button
                    type="submit"
                    class="danger"
                    disabled=move || flow.busy() || !(confirmed() || flow.unconfirmed.get())
                >
                    {label}
                </button>
                <button type="button" on:click=move |_| flow.open.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}

/// Where the delete stands, on the page: deleting (with the cost frozen
/// and, when stuck, force on offer) or deleted (when, what it cost, and
/// the volumes that remain); and what the last answer meant.
#[component]
pub(crate) fn DeletionStatus(
    resource: Memo<Option<ResourceSummary>>,
    flow: DeleteFlow,
) -> impl IntoView {
    use supply_model::deletion::{billing_end, cost_so_far, is_stuck, volumes_left};
    use supply_model::time::relative_to;

    use crate::state::clock::use_now;

    let now = use_now();
    let lifecycle =
        Memo::new(move |_| resource.with(|r| r.as_ref().map(|r| Lifecycle::of(&r.status))));
    // A deletion seen (here or by a deep link) wants the volumes' prices.
    Effect::new(move |loaded: Option<bool>| {
        let ending = lifecycle.get().is_some_and(Lifecycle::is_ending);
        if ending && loaded != Some(true) {
            flow.load_known();
            return true;
        }
        loaded.unwrap_or(false)
    });
    let cost = move || {
        let now = now.get();
        resource.with(|r| {
            r.as_ref().and_then(|r| {
                let cost = cost_so_far(r, flow.asked_at.get(), now)?;
                Some(format!("${}", fixed(cost.amount, 4)))
            })
        })
    };
    let ended_at = move || {
        let now = now.get();
        resource.with(|r| {
            r.as_ref()
                .and_then(|r| billing_end(r, flow.asked_at.get(), now))
                .map(|end| (format_rfc3339(end, false), relative_to(end, now)))
        })
    };
    let when = move || {
        ended_at().map(|(raw, relative)| view! { <time datetime=raw.clone()>{raw.clone()}</time> " (" {relative} ")" })
    };
    let left = move || {
        resource.with(|r| {
            r.as_ref()
                .map(|r| flow.known.with(|known| volumes_left(r, known)))
                .unwrap_or_default()
        })
    };
    let volumes = move || {
        let left = left();
        (!left.is_empty()).then(|| {
            let total: f64 = left.iter().filter_map(|v| v.hourly).sum();
            let items = left
                .into_iter()
                .map(|volume| {
                    let href = Route::Resource { resource_id: volume.resource_id.clone() }.href();
                    view! { <li><A href=at(&href)>{volume.name}</A> ": " {hourly(volume.hourly)}</li> }
                })
                .collect_view();
            view! {
                <p>"Its persistent volumes remain, and are still billed ("
                    {format!("{}/h", format_usd(total))} " in all):"</p>
                <ul class="plan plan--survives">{items}</ul>
            }
        })
    };
    let stuck = move || {
        lifecycle.get() == Some(Lifecycle::Deleting) && is_stuck(flow.asked_at.get(), now.get())
    };
    let offer_force = move |_| {
        flow.force_offered.set(true);
        flow.open.set(true);
    };
    view! {
        <div id="deletion-status" tabindex="-1" class="deletion-status">
            {move || flow.notice.get().filter(|_| !flow.open.get()).map(|notice| view! {
                <p class="notice" role="status">{notice}</p>
            })}
            {move || match lifecycle.get() {
                Some(Lifecycle::Deleting) => Some(view! {
                    <div class="notice notice--deleting" role="status">
                        <h2>"Deleting"</h2>
                        <p>"It is being terminated on the vendor; this page checks again every few seconds. "
                            "Access has ended. The cost so far is frozen at " <strong>{cost}</strong>
                            {move || ended_at().map(|_| view! { ", since " {when} })} "."</p>
                        {move || stuck().then(|| view! {
                            <p>"It has been deleting for more than 5 minutes. "
                                <button type="button" on:click=offer_force>"Force the delete…"</button></p>
                        })}
                        {volumes}
                    </div>
                }.into_any()),
                Some(Lifecycle::Deleted) => Some(view! {
                    <div class="notice notice--deleted" role="status">
                        <h2>"Deleted"</h2>
                        <p>"This resource was deleted" {move || ended_at().map(|_| view! { " " {when} })}
                            ". It cost " <strong>{cost}</strong> " in all."</p>
                        {volumes}
                    </div>
                }.into_any()),
                _ => None,
            }}
        </div>
    }
}
