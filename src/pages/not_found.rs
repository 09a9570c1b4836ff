use crate::state::route::link;
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::routes::Route;

#[component]
pub(crate) fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"No page of this console lives at this address."</p>
            <p><A href=link(&Route::Offers)>"Go to the offers"</A></p>
        </section>
    }
}
