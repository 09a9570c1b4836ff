use crate::state::base::at;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"No page of this console lives at this address."</p>
            <p><A href=at("/offers")>"Go to the offers"</A></p>
        </section>
    }
}
