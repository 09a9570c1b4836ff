//! A loopback simulator of the Supply Service and k0rdent compute APIs.
//!
//! [`Sim`] is the whole simulated world and knows nothing of HTTP: every
//! call takes the simulated `now`, so tests drive time directly. [`http`]
//! puts it behind axum routers with auth, CORS and fault injection, one
//! room a file: middleware, the Supply API, the k0rdent API, the admin
//! API, the console listener, and start-up.
//! [`console`] serves the built console, for the simulator's `--ui-dir`
//! listener and for `supply-console` ([`console_server`]), which points it
//! at a real service, directly or through the same-origin [`proxy`].

pub mod catalog;
pub mod clock;
pub mod console;
pub mod console_server;
pub mod faults;
pub mod http;
pub mod k0rdent;
pub mod procurement;
pub mod proxy;
pub mod resources;
pub mod rng;
pub mod spec;
pub mod tokens;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use supply_model::{
    HttpValidationError, LocItem, Offer, OfferResourceInfo, OfferState, OfferStatusResponse,
    OffersAnswer, ProcureResponse, ProcureStatus, ProcurementStatus, ResourceSummary,
    StorageDetail, ValidationError,
};
use uuid::Uuid;

pub use supply_model::ApiTime;

use crate::catalog::Catalog;
use crate::k0rdent::K0rdent;
use crate::procurement::Procurement;
use crate::resources::{ResourceStore, Source, StoredResource};
use crate::spec::OfferQuery;

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

/// The answer of `DELETE /resources/{resource_id}` (`DeleteResourceResponse`
/// of the delete-resource page: all three fields required).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeleteResourceResponse {
    pub resource_id: String,
    pub status: String,
    pub message: String,
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
    /// The storage each offer was last served with, until it expires: the
    /// offer id stands for what was asked, as an id from the service does.
    served_storage: HashMap<Uuid, (DateTime<Utc>, Vec<StorageDetail>)>,
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
            served_storage: HashMap::new(),
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
        if !self.served_storage.is_empty() {
            self.served_storage.retain(|_, (expires, _)| *expires > now);
        }
        self.resources.finish_deletions(now);
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

    /// `POST /get_offers` with its content type and raw body.
    pub fn get_offers_body(
        &mut self,
        content_type: Option<&str>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<OffersAnswer, ApiError> {
        let query = spec::read_request(content_type, body).map_err(ApiError::Validation)?;
        Ok(self.get_offers(&query, now))
    }

    /// The live offers that pass `query`, cheapest first, with its storage
    /// volumes in them. Procured offers are no longer on sale.
    pub fn get_offers(&mut self, query: &OfferQuery, now: DateTime<Utc>) -> OffersAnswer {
        self.advance(now);
        let procurements = &self.procurements;
        let mut offers: Vec<(Uuid, Offer)> = self
            .catalog
            .matching(query)
            .filter_map(|(vendor, offer)| {
                let id = Uuid::parse_str(&offer.offer_id).ok()?;
                (!procurements.contains_key(&id))
                    .then(|| (id, catalog::with_storage(offer, vendor, &query.storage)))
            })
            .collect();
        offers.sort_by(|(_, a), (_, b)| {
            let price = |o: &Offer| o.total_price_per_hour.unwrap_or(f64::MAX);
            price(a)
                .total_cmp(&price(b))
                .then_with(|| a.offer_id.cmp(&b.offer_id))
        });
        // What was asked of each offer served goes with it to procurement.
        for (id, offer) in &offers {
            if query.storage.is_empty() {
                if !self.served_storage.is_empty() {
                    self.served_storage.remove(id);
                }
            } else if let Some(expires) = catalog::offer_expires_at(offer) {
                self.served_storage
                    .insert(*id, (expires, offer.storage_details.clone()));
            }
        }
        let offers: Vec<Offer> = offers.into_iter().map(|(_, offer)| offer).collect();
        OffersAnswer {
            total_count: Some(offers.len() as u64),
            offers,
            filters_applied: Some(query.filters_applied.clone()),
        }
    }

    /// Every live offer, whatever a query would ask (for tests and tools).
    pub fn live_offers(&mut self, now: DateTime<Utc>) -> Vec<Offer> {
        self.advance(now);
        self.catalog.live().cloned().collect()
    }

    /// Any offer ever served, with the storage its last query asked for.
    fn lookup_offer(&self, id: Uuid, now: DateTime<Utc>) -> Option<Offer> {
        let offer = self.catalog.lookup(id, now)?;
        Some(match self.served_storage.get(&id) {
            Some((_, details)) => catalog::priced(offer, details.clone()),
            None => offer,
        })
    }

    /// `GET /offers/{offer_id}`: the offer with its `status`, `available`
    /// or `expired` until procured, then `procured` or `failed`.
    pub fn offer_details(&mut self, raw_id: &str, now: DateTime<Utc>) -> Result<Offer, ApiError> {
        let id = path_uuid(raw_id, "offer_id")?;
        self.advance(now);
        if let Some(p) = self.procurements.get(&id) {
            let mut offer = p.offer.clone();
            offer.status = Some(p.offer_state(now));
            offer.procured_at = Some(ApiTime::from_datetime(p.procured_at));
            return Ok(offer);
        }
        let mut offer = self
            .lookup_offer(id, now)
            .ok_or_else(|| ApiError::NotFound(format!("Offer {id} not found")))?;
        let expired = catalog::offer_expires_at(&offer).is_some_and(|at| at <= now);
        offer.status = Some(if expired {
            OfferState::Expired
        } else {
            OfferState::Available
        });
        Ok(offer)
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
            .lookup_offer(id, now)
            .ok_or_else(|| ApiError::NotFound(format!("Offer {id} not found")))?;
        if let Some(expires) = catalog::offer_expires_at(&offer).filter(|at| *at <= now) {
            return Err(ApiError::Gone(format!(
                "Offer {id} expired at {}; request new offers",
                ApiTime::from_datetime(expires)
            )));
        }
        if request.cluster_name.is_some() && !offer.is_cluster() {
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
                            status: self.live_status(stored, now),
                            extra: Default::default(),
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            // Instances of a deleted machine are going, then gone.
            let deletion = self
                .resources
                .position(p.primary_id)
                .and_then(|at| self.resources.at(at).deletion);
            let mut instances = p.instances(now);
            if let Some(deletion) = deletion {
                let state = if deletion.is_done(now) {
                    "terminated"
                } else {
                    "terminating"
                };
                for instance in &mut instances {
                    instance.status = state.to_owned();
                    instance.external_ip = None;
                    instance.ssh_command = None;
                }
            }
            return Ok(OfferStatusResponse {
                offer_id: id.to_string(),
                status: p.offer_state(now),
                procurement_status: Some(p.procurement_status(now)),
                instances,
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
            .lookup_offer(id, now)
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

    /// What a resource's source says of it now; a deletion overrides it.
    fn live(&self, stored: &StoredResource, now: DateTime<Utc>) -> Option<resources::Live> {
        if let Some(deletion) = &stored.deletion {
            return Some(deletion.live(now));
        }
        match &stored.source {
            Source::Procurement { offer, role } => self
                .procurements
                .get(offer)
                .map(|p| resources::procurement_live(p, *role, now)),
            Source::K0rdent { instance_id } => {
                Some(resources::k0rdent_live(&self.k0rdent, instance_id, now))
            }
        }
    }

    fn live_status(&self, stored: &StoredResource, now: DateTime<Utc>) -> String {
        self.live(stored, now)
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
        self.resources_of(None, now)
    }

    /// `GET /resources?offer_id=…`: only the resources that order made
    /// (the offer is in their `offer_history`), or all with `None`.
    pub fn resources_of(
        &mut self,
        offer_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Vec<ResourceSummary> {
        self.advance(now);
        let wanted = offer_id.map(str::trim).filter(|id| !id.is_empty());
        (0..self.resources.len())
            .filter(|&at| {
                wanted.is_none_or(|id| {
                    self.resources
                        .at(at)
                        .summary
                        .offer_history
                        .iter()
                        .any(|entry| entry.offer_id.eq_ignore_ascii_case(id))
                })
            })
            .map(|at| self.render(at))
            .collect()
    }

    /// The resource a path names and where it is stored, once the world
    /// has caught up with `now`: 422 for an id that is not a UUID, 404 for
    /// one that is not known.
    fn resource_position(
        &mut self,
        raw_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Uuid, usize), ApiError> {
        let id = path_uuid(raw_id, "resource_id")?;
        self.advance(now);
        let position = self
            .resources
            .position(id)
            .ok_or_else(|| ApiError::NotFound("Resource not found".to_owned()))?;
        Ok((id, position))
    }

    /// `DELETE /resources/{resource_id}`: the resource turns `deleting`
    /// at once and `deleted` 20 s later (5 s with `force`); deleting it
    /// again meanwhile answers the same, once deleted 409.
    pub fn delete_resource(
        &mut self,
        raw_id: &str,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<DeleteResourceResponse, ApiError> {
        let (id, position) = self.resource_position(raw_id, now)?;
        let stored = self.resources.at_mut(position);
        let deletion = match stored.deletion {
            Some(deletion) if deletion.is_done(now) => {
                return Err(ApiError::Conflict(format!(
                    "Resource {id} is already deleted"
                )))
            }
            // Asked again while under way: `force` may only hurry it.
            Some(deletion) => *stored.deletion.insert(deletion.hurried(now, force)),
            None => *stored.deletion.insert(resources::Deletion::new(now, force)),
        };
        let live = deletion.live(now);
        let summary = &mut stored.summary;
        summary.status = live.status.clone();
        summary.status_message = live.status_message;
        summary.access = None;
        summary.last_synced_at = Some(ApiTime::from_datetime(now));
        Ok(DeleteResourceResponse {
            resource_id: id.to_string(),
            status: live.status,
            message: format!(
                "Deletion started: terminating on {}; poll GET /resources/{id} until it is deleted",
                if summary.vendor.is_empty() {
                    "the vendor"
                } else {
                    summary.vendor.as_str()
                }
            ),
        })
    }

    /// `GET /resources/{resource_id}`: reconciles with the source when the
    /// snapshot is older than 30 s, or always with `force_refresh`.
    pub fn resource(
        &mut self,
        raw_id: &str,
        force_refresh: bool,
        now: DateTime<Utc>,
    ) -> Result<ResourceSummary, ApiError> {
        let (_, position) = self.resource_position(raw_id, now)?;
        let stored = self.resources.at(position);
        let stale = stored
            .summary
            .last_synced_at
            .as_ref()
            .and_then(ApiTime::parsed)
            .is_none_or(|at| now - at > Duration::seconds(resources::RECONCILE_AFTER_SECS));
        if force_refresh || stale {
            let live = self.live(stored, now);
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

    /// The simulated k0rdent API, for its lists.
    pub fn k0rdent(&self) -> &K0rdent {
        &self.k0rdent
    }
}

/// The simulated clock's start in the unit tests.
#[cfg(test)]
fn test_start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
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
