use serde::Serialize;
use supply_model::{decode_offers, ApiFailure, Offer};

use super::ApiResult;
use crate::state::session::Session;

/// `POST /get_offers` with `filters`, as the signed-in user. The request is
/// made now, so it is aborted when the calling page unmounts.
pub fn fetch_offers<B: Serialize>(
    session: Session,
    filters: &B,
) -> impl std::future::Future<Output = ApiResult<Vec<Offer>>> + 'static {
    let request = session.client().map(|client| {
        client.send_decoded(
            gloo_net::http::Method::POST,
            "/get_offers",
            Some(filters),
            decode_offers,
        )
    });
    async move {
        match request {
            Some(request) => request.await,
            None => Err(ApiFailure::NotConfigured),
        }
    }
}
