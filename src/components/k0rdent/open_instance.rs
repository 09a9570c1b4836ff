use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use supply_model::k0rdent_view::{InstanceRef, OpenErrors};

use crate::components::text_field::TextField;
use crate::state::storage::{self, Area};

const LAST_REGION_KEY: &str = "supply.k0rdent_last_region";
const LAST_PROJECT_KEY: &str = "supply.k0rdent_last_project";

/// The region and project opened last on this device, to start from.
pub(crate) fn last_place() -> (String, String) {
    (
        storage::read(Area::Local, LAST_REGION_KEY).unwrap_or_default(),
        storage::read(Area::Local, LAST_PROJECT_KEY).unwrap_or_default(),
    )
}

/// Opens an instance by region, project and id. Everything is checked
/// here, before any request: a refused id never reaches the API.
#[component]
pub(crate) fn OpenInstanceForm(
    #[prop(into)] region: String,
    #[prop(into)] project: String,
    #[prop(optional, into)] id: String,
) -> impl IntoView {
    let navigate = use_navigate();
    let region = RwSignal::new(region);
    let project = RwSignal::new(project);
    let id = RwSignal::new(id);
    let errors = RwSignal::new(OpenErrors::default());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match InstanceRef::check(
            &region.get_untracked(),
            &project.get_untracked(),
            &id.get_untracked(),
        ) {
            Err(found) => errors.set(found),
            Ok(target) => {
                errors.set(OpenErrors::default());
                storage::write(Area::Local, LAST_REGION_KEY, &target.region);
                storage::write(Area::Local, LAST_PROJECT_KEY, &target.project);
                navigate(&target.console_path(), Default::default());
            }
        }
    };

    view! {
        <form class="open-instance" on:submit=on_submit novalidate=true aria-label="Open a k0rdent instance">
            <TextField
                id="k0rdent-region"
                label="Region"
                hint="e.g. us-texas-1"
                kind="text"
                value=region
                error=Signal::derive(move || errors.with(|e| e.region.clone()))
            />
            <TextField
                id="k0rdent-project"
                label="Project"
                hint="e.g. project-x9y8z7"
                kind="text"
                value=project
                error=Signal::derive(move || errors.with(|e| e.project.clone()))
            />
            <TextField
                id="k0rdent-instance-id"
                label="Instance id"
                hint="1 to 63 characters: lowercase letters, digits and hyphens, starting with a letter."
                kind="text"
                value=id
                error=Signal::derive(move || errors.with(|e| e.id.clone()))
            />
            <div class="buttons">
                <button type="submit" class="primary">"Open instance"</button>
            </div>
            <p class="visually-hidden" aria-live="polite">
                {move || errors.with(OpenErrors::any).then_some("Some fields need attention.")}
            </p>
        </form>
    }
}
