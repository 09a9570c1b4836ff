//! The Supply Service, one typed function per published call. Paths and
//! bodies are built by `supply_model::supply_calls`; each function sends
//! its call as the signed-in user, now, so the request is aborted when the
//! calling page unmounts. Pages never write a path or a body.

use std::future::Future;

use supply_model::deletion::DeleteResourceResponse;
use supply_model::discovery::{read_gpus, read_names, read_storage_classes, GpuCatalog};
use supply_model::resource::decode_resources;
use supply_model::spend::{decode_spend_items, SpendItem};
use supply_model::supply_calls::{self, Call, Discovery};
use supply_model::{
    decode_offer, decode_offers_answer, ApiFailure, Offer, OfferSpec, OfferStatusResponse,
    OffersAnswer, ProcureRequest, ProcureResponse, ResourceSummary,
};

use super::{ApiClient, ApiResult};
use crate::state::session::Session;

fn json<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(body)
}

/// Sends `call` with the session's client, or fails as not configured.
fn send<T: 'static>(
    client: Option<ApiClient>,
    call: Call,
    decode: impl FnOnce(&str) -> Result<T, serde_json::Error> + 'static,
) -> impl Future<Output = ApiResult<T>> + 'static {
    let request = client.map(|client| client.call(&call, decode));
    async move {
        match request {
            Some(request) => request.await,
            None => Err(ApiFailure::NotConfigured),
        }
    }
}

/// `POST /get_offers` with `spec` as YAML.
pub(crate) fn get_offers(
    session: Session,
    spec: &OfferSpec,
) -> impl Future<Output = ApiResult<OffersAnswer>> + 'static {
    send(
        session.client(),
        supply_calls::get_offers(spec),
        decode_offers_answer,
    )
}

/// `GET /offers/{offer_id}`: one offer with its status.
pub(crate) fn offer(
    session: Session,
    offer_id: &str,
) -> impl Future<Output = ApiResult<Offer>> + 'static {
    send(
        session.client(),
        supply_calls::offer_details(offer_id),
        decode_offer,
    )
}

/// `POST /procure_offer`.
pub(crate) fn procure(
    session: Session,
    order: &ProcureRequest,
) -> impl Future<Output = ApiResult<ProcureResponse>> + 'static {
    send(session.client(), supply_calls::procure(order), json)
}

/// `GET /offers/{offer_id}/status`.
pub(crate) fn offer_status(
    session: Session,
    offer_id: &str,
) -> impl Future<Output = ApiResult<OfferStatusResponse>> + 'static {
    send(session.client(), supply_calls::offer_status(offer_id), json)
}

/// `GET /resources`, all of the token's or one order's.
pub(crate) fn resources(
    session: Session,
    offer_id: Option<&str>,
) -> impl Future<Output = ApiResult<Vec<ResourceSummary>>> + 'static {
    send(
        session.client(),
        supply_calls::resources(offer_id),
        decode_resources,
    )
}

/// `GET /resources/{resource_id}`, decoded by `decode` (the resource page
/// keeps the raw answer too).
pub(crate) fn resource<T: 'static>(
    session: Session,
    resource_id: &str,
    force_refresh: bool,
    decode: impl FnOnce(&str) -> Result<T, serde_json::Error> + 'static,
) -> impl Future<Output = ApiResult<T>> + 'static {
    send(
        session.client(),
        supply_calls::resource(resource_id, force_refresh),
        decode,
    )
}

/// `GET /resources/{resource_id}?force_refresh=true` as a summary: what a
/// delete whose answer was lost reads to learn whether it went through.
pub(crate) fn fresh_resource(
    session: Session,
    resource_id: &str,
) -> impl Future<Output = ApiResult<ResourceSummary>> + 'static {
    resource(session, resource_id, true, json)
}

/// `DELETE /resources/{resource_id}`; `force` only when the user asks.
pub(crate) fn delete_resource(
    session: Session,
    resource_id: &str,
    force: bool,
) -> impl Future<Output = ApiResult<DeleteResourceResponse>> + 'static {
    send(
        session.client(),
        supply_calls::delete_resource(resource_id, force),
        json,
    )
}

/// `GET /resources` read for the spend meter only: three fields a row.
pub(crate) fn spend_items(
    session: Session,
) -> impl Future<Output = ApiResult<Vec<SpendItem>>> + 'static {
    send(
        session.client(),
        supply_calls::resources(None),
        decode_spend_items,
    )
}

/// A shape the console does not know, reported as such so the caller falls
/// back to the documented values.
fn unknown_shape(what: &str) -> serde_json::Error {
    use serde::de::Error as _;
    serde_json::Error::custom(format!("{what}: an answer this console does not know"))
}

/// `GET /available_gpus`: families and their canonical names.
pub(crate) fn available_gpus(
    session: Session,
) -> impl Future<Output = ApiResult<GpuCatalog>> + 'static {
    send(session.client(), Discovery::Gpus.call(), |body| {
        read_gpus(body).ok_or_else(|| unknown_shape("available_gpus"))
    })
}

/// `GET /available_vendors`, `/available_regions` or `/available_contracts`
/// as a list of names; `/available_storage` as its storage classes.
pub(crate) fn available_names(
    session: Session,
    which: Discovery,
) -> impl Future<Output = ApiResult<Vec<String>>> + 'static {
    send(session.client(), which.call(), move |body| {
        let read = match which {
            Discovery::Storage => read_storage_classes(body),
            _ => read_names(body),
        };
        read.ok_or_else(|| unknown_shape("discovery"))
    })
}
