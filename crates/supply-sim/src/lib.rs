//! A loopback simulator of the Supply Service and k0rdent compute APIs.
//!
//! [`Sim`] is the whole simulated world and knows nothing of HTTP: every
//! call takes the simulated `now`, so tests drive time directly. [`http`]
//! puts it behind axum routers with auth, CORS and fault injection.

pub mod catalog;
pub mod clock;
pub mod faults;
pub mod http;
pub mod k0rdent;
pub mod procurement;
pub mod resources;
pub mod rng;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use supply_model::{
    GetOffersRequest, HttpValidationError, LocItem, Offer, OfferResourceInfo, OfferState,
    OfferStatusResponse, ProcureResponse, ProcureStatus, ProcurementStatus, ResourceSummary,
    ValidationError,
};
use uuid::Uuid;

pub use supply_model::ApiTime;

use crate::catalog::Catalog;
use crate::k0rdent::K0rdent;
use crate::procurement::Procurement;
use crate::resources::{ResourceStore, Source};

/// An error answer: `{"detail": "text"}`, or FastAPI's list for 422.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    BadRequest(String),
    NotFound(String),
    Conflict(String),
    Gone(String),
    Validation(Vec<ValidationError>),
}

impl ApiError {
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::Gone(_) => 410,
            Self::Validation(_) => 422,
        }
    }

    pub fn body(&self) -> Value {
        match self {
            Self::BadRequest(text)
            | Self::NotFound(text)
            | Self::Conflict(text)
            | Self::Gone(text) => json!({ "detail": text }),
            Self::Validation(errors) => serde_json::to_value(HttpValidationError {
                detail: errors.clone(),
            })
            .unwrap_or_else(|_| json!({ "detail": [] })),
        }
    }
}

/// A FastAPI-style validation error.
pub fn field_error(loc: &[&str], msg: &str, kind: &str) -> ValidationError {
    ValidationError {
        loc: loc
            .iter()
            .map(|part| LocItem::Field((*part).to_owned()))
            .collect(),
        msg: msg.to_owned(),
        kind: kind.to_owned(),
        extra: Default::default(),
    }
}

fn invalid_json(err: &serde_json::Error) -> ValidationError {
    field_error(
        &["body"],
        &format!("JSON decode error: {err}"),
        "json_invalid",
    )
}

fn not_an_object() -> ValidationError {
    field_error(
        &["body"],
        "Input should be a valid dictionary or object to extract fields from",
        "model_attributes_type",
    )
}

fn path_uuid(raw: &str, name: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|err| {
        ApiError::Validation(vec![field_error(
            &["path", name],
            &format!("Input should be a valid UUID, {err}"),
            "uuid_parsing",
        )])
    })
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    /// How many live offers the catalog holds at any time.
    pub offers: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            offers: 300,
        }
    }
}

/// The simulated world.
pub struct Sim {
    config: SimConfig,
    start: DateTime<Utc>,
    catalog: Catalog,
    procurements: HashMap<Uuid, Procurement>,
    /// Procurements whose resources are not in the store yet.
    pending: Vec<Uuid>,
    resources: ResourceStore,
    k0rdent: K0rdent,
    /// Set by the admin API: the next procurement fails, with this reason
    /// if one was given.
    fail_next: Option<Option<String>>,
    /// Set by the admin API: the next `procure_offer` answers `failed` at
    /// once (the answer itself, not provisioning later), with this error.
    refuse_next: Option<String>,
}

impl Sim {
    pub fn new(config: SimConfig, start: DateTime<Utc>) -> Self {
        let (seeded, stored) = resources::seed(start);
        let mut store = ResourceStore::default();
        for resource in stored {
            store.insert(resource);
        }
        Self {
            catalog: Catalog::new(config.seed, config.offers, start),
            config,
            start,
            procurements: seeded.into_iter().map(|p| (p.offer_id, p)).collect(),
            pending: Vec::new(),
            resources: store,
            k0rdent: K0rdent::new(start),
            fail_next: None,
            refuse_next: None,
        }
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// Brings the world up to `now`: expired offers are replaced, settled
    /// procurements add their resources.
    pub fn advance(&mut self, now: DateTime<Utc>) {
        self.catalog.refresh(now);
        let procurements = &mut self.procurements;
        let store = &mut self.resources;
        self.pending.retain(|id| {
            let Some(p) = procurements.get_mut(id) else {
                return false;
            };
            if p.settled_at() > now {
                return true;
            }
            for resource in resources::materialize(p) {
                store.insert(resource);
            }
            p.materialized = true;
            false
        });
    }

    /// `POST /get_offers` with a raw body.
    pub fn get_offers_body(
        &mut self,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ApiError> {
        let filter = catalog::parse_filter(body).map_err(ApiError::Validation)?;
        Ok(self.get_offers(&filter, now))
    }

    /// The live offers passing `filter`; procured ones stay listed until
    /// they expire, marked unavailable.
    pub fn get_offers(&mut self, filter: &GetOffersRequest, now: DateTime<Utc>) -> Vec<Offer> {
        self.advance(now);
        self.catalog
            .live()
            .filter(|offer| catalog::matches(offer, filter))
            .map(|offer| {
                let mut offer = offer.clone();
                if self.is_procured(&offer.offer_id) {
                    offer.available = Some(false);
                }
                offer
            })
            .collect()
    }

    fn is_procured(&self, offer_id: &str) -> bool {
        !self.procurements.is_empty()
            && Uuid::parse_str(offer_id).is_ok_and(|id| self.procurements.contains_key(&id))
    }

    /// Makes the next procurement fail.
    pub fn fail_next(&mut self, reason: Option<String>) {
        self.fail_next = Some(reason.filter(|r| !r.trim().is_empty()));
    }

    /// Makes the next `procure_offer` answer `status: failed` with `error`.
    pub fn refuse_next(&mut self, error: String) {
        self.refuse_next = Some(error);
    }

    pub fn fail_next_pending(&self) -> bool {
        self.fail_next.is_some()
    }

    /// `POST /procure_offer` with a raw body.
    pub fn procure(
        &mut self,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<ProcureResponse, ApiError> {
        let (request, id) = procurement::parse_request(body).map_err(ApiError::Validation)?;
        self.advance(now);
        if self.procurements.contains_key(&id) {
            return Err(ApiError::Conflict(format!(
                "Offer {id} is already procured"
            )));
        }
        let offer = self
            .catalog
            .lookup(id, now)
            .ok_or_else(|| ApiError::NotFound(format!("Offer {id} not found")))?;
        if let Some(expires) = catalog::offer_expires_at(&offer).filter(|at| *at <= now) {
            return Err(ApiError::Gone(format!(
                "Offer {id} expired at {}; request new offers",
                ApiTime::from_datetime(expires)
            )));
        }
        if offer.available == Some(false) {
            return Err(ApiError::Conflict(format!(
                "Offer {id} is not available right now; choose another offer"
            )));
        }
        let is_cluster = matches!(offer.offer_type, Some(supply_model::OfferType::Cluster));
        if request.cluster_name.is_some() && !is_cluster {
            return Err(ApiError::Validation(
                vec![procurement::cluster_name_error()],
            ));
        }
        if let Some(error) = self.refuse_next.take() {
            return Ok(ProcureResponse {
                offer_id: id.to_string(),
                status: ProcureStatus::Failed,
                procured_at: None,
                resource_ids: Vec::new(),
                error: Some(error),
                extra: Default::default(),
            });
        }
        let named_to_fail = request
            .resource_name
            .as_deref()
            .is_some_and(|name| name.to_ascii_lowercase().starts_with("fail"));
        let failure = match self.fail_next.take() {
            Some(reason) => Some(reason.unwrap_or_else(|| procurement::capacity_reason(&offer))),
            None => named_to_fail.then(|| procurement::capacity_reason(&offer)),
        };
        let p = Procurement::new(offer, id, &request, failure, now);
        let response = ProcureResponse {
            offer_id: id.to_string(),
            status: ProcureStatus::ProvisioningInProgress,
            procured_at: Some(ApiTime::from_datetime(now)),
            resource_ids: p.resource_ids().iter().map(Uuid::to_string).collect(),
            error: None,
            extra: Default::default(),
        };
        self.pending.push(id);
        self.procurements.insert(id, p);
        Ok(response)
    }

    /// `GET /offers/{offer_id}/status`.
    pub fn offer_status(
        &mut self,
        raw_id: &str,
        now: DateTime<Utc>,
    ) -> Result<OfferStatusResponse, ApiError> {
        let id = path_uuid(raw_id, "offer_id")?;
        self.advance(now);
        if let Some(p) = self.procurements.get(&id) {
            let resources = if p.materialized {
                p.resource_ids()
                    .iter()
                    .filter_map(|rid| {
                        let stored = self.resources.at(self.resources.position(*rid)?);
                        let role = match stored.source {
                            Source::Procurement { role, .. } => role.as_str(),
                            Source::K0rdent { .. } => "primary",
                        };
                        Some(OfferResourceInfo {
                            resource_id: stored.summary.resource_id.clone(),
                            resource_type: stored.summary.resource_type.clone(),
                            role: role.to_owned(),
                            status: self.live_status(&stored.source, now),
                            extra: Default::default(),
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            return Ok(OfferStatusResponse {
                offer_id: id.to_string(),
                status: p.offer_state(now),
                procurement_status: Some(p.procurement_status(now)),
                instances: p.instances(now),
                resources,
                progress: p.progress(now),
                failure_reason: match p.phase(now) {
                    procurement::Phase::Failed => p.failure.clone(),
                    _ => None,
                },
                created_at: p
                    .offer
                    .created_at
                    .clone()
                    .unwrap_or_else(|| ApiTime::from_datetime(p.procured_at)),
                procured_at: Some(ApiTime::from_datetime(p.procured_at)),
                extra: Default::default(),
            });
        }
        let offer = self
            .catalog
            .lookup(id, now)
            .ok_or_else(|| ApiError::NotFound(format!("Offer {id} not found")))?;
        let expired = catalog::offer_expires_at(&offer).is_some_and(|at| at <= now);
        Ok(OfferStatusResponse {
            offer_id: id.to_string(),
            status: if expired {
                OfferState::Expired
            } else {
                OfferState::Available
            },
            procurement_status: (!expired).then_some(ProcurementStatus::Available),
            instances: Vec::new(),
            resources: Vec::new(),
            progress: None,
            failure_reason: None,
            created_at: offer
                .created_at
                .clone()
                .unwrap_or_else(|| ApiTime::from_datetime(now)),
            procured_at: None,
            extra: Default::default(),
        })
    }

    fn live(&self, source: &Source, now: DateTime<Utc>) -> Option<resources::Live> {
        match source {
            Source::Procurement { offer, role } => self
                .procurements
                .get(offer)
                .map(|p| resources::procurement_live(p, *role, now)),
            Source::K0rdent { instance_id } => {
                Some(resources::k0rdent_live(&self.k0rdent, instance_id, now))
            }
        }
    }

    fn live_status(&self, source: &Source, now: DateTime<Utc>) -> String {
        self.live(source, now)
            .map(|live| live.status)
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// A stored snapshot with its links' statuses read from the store.
    fn render(&self, position: usize) -> ResourceSummary {
        let mut summary = self.resources.at(position).summary.clone();
        for link in &mut summary.linked_resources {
            if let Some(status) = self.resources.status_of(&link.resource_id) {
                link.status = status.to_owned();
            }
        }
        summary
    }

    /// `GET /resources`: the stored snapshots, without reconciling.
    pub fn resources(&mut self, now: DateTime<Utc>) -> Vec<ResourceSummary> {
        self.advance(now);
        (0..self.resources.len())
            .map(|at| self.render(at))
            .collect()
    }

    /// `GET /resources/{resource_id}`: reconciles with the source when the
    /// snapshot is older than 30 s, or always with `force_refresh`.
    pub fn resource(
        &mut self,
        raw_id: &str,
        force_refresh: bool,
        now: DateTime<Utc>,
    ) -> Result<ResourceSummary, ApiError> {
        let id = path_uuid(raw_id, "resource_id")?;
        self.advance(now);
        let position = self
            .resources
            .position(id)
            .ok_or_else(|| ApiError::NotFound("Resource not found".to_owned()))?;
        let stored = self.resources.at(position);
        let stale = stored
            .summary
            .last_synced_at
            .as_ref()
            .and_then(ApiTime::parsed)
            .is_none_or(|at| now - at > Duration::seconds(resources::RECONCILE_AFTER_SECS));
        if force_refresh || stale {
            let live = self.live(&stored.source, now);
            let summary = &mut self.resources.at_mut(position).summary;
            if let Some(live) = live {
                summary.status = live.status;
                summary.status_message = live.status_message;
                summary.access = live.access;
            }
            summary.last_synced_at = Some(ApiTime::from_datetime(now));
        }
        Ok(self.render(position))
    }

    /// `GET /v1/regions/{region}/projects/{project}/compute/instances/{id}`.
    pub fn k0rdent_instance(
        &self,
        region: &str,
        project: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<supply_model::k0rdent::Instance, ApiError> {
        self.k0rdent.get(region, project, id, now)
    }
}

#[cfg(test)]
mod tests;

/// A body field that must be a string when present (and present when
/// `required`), with FastAPI-style errors otherwise.
pub(crate) fn string_field(
    map: &serde_json::Map<String, Value>,
    field: &str,
    required: bool,
    errors: &mut Vec<ValidationError>,
) -> Option<String> {
    match map.get(field) {
        None | Some(Value::Null) => {
            if required {
                errors.push(field_error(&["body", field], "Field required", "missing"));
            }
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(field_error(
                &["body", field],
                "Input should be a valid string",
                "string_type",
            ));
            None
        }
    }
}
