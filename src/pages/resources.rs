//! `/resources`.

use leptos::prelude::*;

use crate::components::planned::Planned;

#[component]
pub fn ResourcesPage() -> impl IntoView {
    view! {
        <Planned
            title="Resources".into()
            summary="Your resources will be listed here, with filters, sorting and the total hourly spend."
        />
    }
}
