//! The k0rdent compute API, one typed function per call. Paths are built by
//! `supply_model::k0rdent_list`; each call goes with the k0rdent session's
//! own token to its own base URL, now, so it is aborted when the calling
//! page unmounts. Pages never write a path.

use std::future::Future;

use supply_model::k0rdent::{Instance, InstancesPage, ProjectsPage};
use supply_model::k0rdent_list::{self, ProjectRef};
use supply_model::k0rdent_view::InstanceRef;
use supply_model::supply_calls::Call;
use supply_model::ApiFailure;

use super::{ApiClient, ApiResult};
use crate::state::k0rdent_session::K0rdentSession;

fn json<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(body)
}

fn send<T: serde::de::DeserializeOwned + 'static>(
    client: Option<ApiClient>,
    call: Call,
) -> impl Future<Output = ApiResult<T>> + 'static {
    let request = client.map(|client| client.call(&call, json::<T>));
    async move {
        match request {
            Some(request) => request.await,
            None => Err(ApiFailure::NotConfigured),
        }
    }
}

/// `GET /v1/regions/global/projects`, one page.
pub(crate) fn projects(
    k0rdent: K0rdentSession,
    page_token: Option<&str>,
    page_size: u32,
) -> impl Future<Output = ApiResult<ProjectsPage>> + 'static {
    send(
        k0rdent.client(),
        k0rdent_list::projects_call(page_token, page_size),
    )
}

/// `GET …/projects/{project}/compute/instances`, one page.
pub(crate) fn instances(
    k0rdent: K0rdentSession,
    project: &ProjectRef,
    page_token: Option<&str>,
    page_size: u32,
) -> impl Future<Output = ApiResult<InstancesPage>> + 'static {
    send(
        k0rdent.client(),
        k0rdent_list::instances_call(project, page_token, page_size),
    )
}

/// `GET …/compute/instances/{id}`.
pub(crate) fn instance(
    k0rdent: K0rdentSession,
    target: &InstanceRef,
) -> impl Future<Output = ApiResult<Instance>> + 'static {
    send(k0rdent.client(), k0rdent_list::instance_call(target))
}
