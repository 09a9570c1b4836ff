//! The order form's state: its fields (saved on the device as a draft),
//! what was said about them, and the order, sent once
//! however fast the clicks come. Every failure keeps what was typed: 410
//! marks the offer gone, 422 lands on the fields, the rest is said in an
//! error panel with a way out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use supply_model::procure_form::{blocking_problems, place_validation_errors, Field, ProcureDraft};
use supply_model::routes::Route;
use supply_model::{ApiFailure, ProcureRequest, ProcureResponse, ProcureStatus};
use wasm_bindgen::JsCast;

use super::offer_lookup::OrderedOffer;
use leptos::task::spawn_local;

use crate::api::{supply, ApiResult};
use crate::components::procure::ssh_key_field::load_library;
use crate::state::session::{use_session, Session};
use crate::state::storage::{self, Area};
use crate::state::yaml_reader::{use_yaml_reader, YamlReader};

const DRAFT_KEY: &str = "supply.procure.draft";

/// The draft on the device, or a fresh one with the default saved key.
fn restore_draft() -> ProcureDraft {
    let mut draft = ProcureDraft::from_json(storage::read(Area::Local, DRAFT_KEY).as_deref());
    if draft.ssh_public_key.trim().is_empty() {
        if let Some(key) = load_library().default_key() {
            draft.ssh_public_key = key.public_key.clone();
        }
    }
    if draft.hours.trim().is_empty() {
        draft.hours = "8".into();
    }
    draft
}

pub(crate) fn focus(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// The form's fields as signals, saved together as the draft.
#[derive(Clone, Copy)]
pub(crate) struct FormFields {
    pub(crate) ssh_public_key: RwSignal<String>,
    pub(crate) cloud_init: RwSignal<String>,
    pub(crate) resource_name: RwSignal<String>,
    pub(crate) cluster_name: RwSignal<String>,
    pub(crate) hours: RwSignal<String>,
}

impl FormFields {
    fn new(draft: ProcureDraft) -> Self {
        Self {
            ssh_public_key: RwSignal::new(draft.ssh_public_key),
            cloud_init: RwSignal::new(draft.cloud_init),
            resource_name: RwSignal::new(draft.resource_name),
            cluster_name: RwSignal::new(draft.cluster_name),
            hours: RwSignal::new(draft.hours),
        }
    }

    pub(crate) fn draft(&self) -> ProcureDraft {
        ProcureDraft {
            ssh_public_key: self.ssh_public_key.get(),
            cloud_init: self.cloud_init.get(),
            resource_name: self.resource_name.get(),
            cluster_name: self.cluster_name.get(),
            hours: self.hours.get(),
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct ProcureForm {
    pub(crate) fields: FormFields,
    session: Session,
    offer_id: StoredValue<String>,
    problems: RwSignal<Vec<(Field, String)>>,
    /// 422 details that name no field of the form.
    pub(crate) general_problems: RwSignal<Vec<String>>,
    /// The service answered, and said the order failed.
    pub(crate) refused: RwSignal<Option<String>>,
    pub(crate) failure: RwSignal<Option<ApiFailure>>,
    /// The review step is shown in place of the form's button.
    pub(crate) reviewing: RwSignal<bool>,
    /// The order is on its way.
    pub(crate) sending: RwSignal<bool>,
    owner: StoredValue<Option<Owner>, LocalStorage>,
    /// Checks a #cloud-config's YAML once fetched (the editor asks for it).
    yaml: YamlReader,
    on_answer: Callback<(String, ApiResult<ProcureResponse>)>,
}

impl ProcureForm {
    pub(crate) fn new(offer: OrderedOffer, offer_id: String) -> Self {
        let session = use_session();
        let navigate = use_navigate();
        let fields = FormFields::new(restore_draft());
        Effect::new(move |_| storage::write(Area::Local, DRAFT_KEY, &fields.draft().to_json()));
        let problems = RwSignal::new(Vec::new());
        let general_problems = RwSignal::new(Vec::new());
        let refused = RwSignal::new(None);
        let failure = RwSignal::new(None);
        let reviewing = RwSignal::new(false);
        // Requests are made under the form's owner: a click handler's
        // owner is the view that redraws as the step changes, which would
        // abort them.
        let owner = Owner::current();
        let on_answer = Callback::new(
            move |(offer_id, result): (String, ApiResult<ProcureResponse>)| {
                match result {
                    Ok(answer) if matches!(answer.status, ProcureStatus::Failed) => {
                        refused.set(Some(answer.error.unwrap_or_else(|| {
                            "The service said the order failed, without a reason.".into()
                        })));
                    }
                    Ok(_) => {
                        storage::remove(Area::Local, DRAFT_KEY);
                        navigate(&Route::Status { offer_id }.href(), Default::default());
                    }
                    Err(ApiFailure::Validation { fields: errors }) => {
                        let (placed, general) = place_validation_errors(&errors);
                        if let Some((first, _)) = placed.first() {
                            // Once the form is enabled again.
                            let id = first.input_id();
                            request_animation_frame(move || focus(id));
                        }
                        problems.set(placed);
                        general_problems.set(general);
                    }
                    Err(err) if err.status() == Some(410) => offer.mark_gone(),
                    Err(ApiFailure::Aborted) => {}
                    Err(err) => failure.set(Some(err)),
                }
            },
        );
        let form = Self {
            fields,
            session,
            yaml: use_yaml_reader(),
            offer_id: StoredValue::new(offer_id),
            problems,
            general_problems,
            refused,
            failure,
            reviewing,
            sending: RwSignal::new(false),
            owner: StoredValue::new_local(owner),
            on_answer,
        };
        form.clear_problems_on_edit();
        form
    }

    /// Editing a field clears what was said about it.
    fn clear_problems_on_edit(&self) {
        let problems = self.problems;
        for (field, signal) in [
            (Field::SshPublicKey, self.fields.ssh_public_key),
            (Field::CloudInit, self.fields.cloud_init),
            (Field::ResourceName, self.fields.resource_name),
            (Field::ClusterName, self.fields.cluster_name),
        ] {
            Effect::new(move |first: Option<()>| {
                signal.track();
                if first.is_some() {
                    problems.update(|all| all.retain(|(f, _)| *f != field));
                }
            });
        }
    }

    /// What was said about `field`, joined.
    pub(crate) fn problem_for(&self, field: Field) -> Signal<Option<String>> {
        let problems = self.problems;
        Signal::derive(move || {
            problems.with(|all| {
                let text: Vec<&str> = all
                    .iter()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, m)| m.as_str())
                    .collect();
                (!text.is_empty()).then(|| text.join(" "))
            })
        })
    }

    /// The order this form would send now.
    pub(crate) fn request(&self, cluster: bool) -> ProcureRequest {
        self.offer_id
            .with_value(|id| self.fields.draft().to_request(id, cluster))
    }

    /// Checks the form; the review step if nothing blocks, else focus on
    /// the first field at fault.
    pub(crate) fn review(&self, cluster: bool) {
        // Without the parser (its fetch failed: the editor says so), the
        // YAML is left to the service, as any API client would.
        let check_yaml = self.yaml.parsers_untracked().map(|p| p.cloud_config);
        let found = blocking_problems(&self.fields.draft(), cluster, check_yaml);
        self.general_problems.set(Vec::new());
        if let Some((first, _)) = found.first() {
            focus(first.input_id());
            self.problems.set(found);
            return;
        }
        self.problems.set(Vec::new());
        self.reviewing.set(true);
        // The review appears on the next frame; move focus to it then.
        request_animation_frame(|| focus("review-title"));
    }

    /// Sends the order, unless one is already on its way.
    pub(crate) fn send(&self, cluster: bool) {
        if self.sending.get_untracked() {
            return;
        }
        if self.session.client().is_none() {
            self.failure.set(Some(ApiFailure::NotConfigured));
            return;
        }
        let order = self.request(cluster);
        let session = self.session;
        let Some(request) = self.owner.with_value(|owner| {
            owner
                .as_ref()
                .map(|owner| owner.with(|| supply::procure(session, &order)))
        }) else {
            return;
        };
        self.failure.set(None);
        self.refused.set(None);
        self.sending.set(true);
        let (sending, reviewing, on_answer) = (self.sending, self.reviewing, self.on_answer);
        spawn_local(async move {
            let result = request.await;
            if sending.try_set(false).is_some() {
                return; // the page is gone
            }
            reviewing.set(false);
            on_answer.run((order.offer_id, result));
        });
    }
}
