use leptos::prelude::*;

/// A route whose page is still to come: it says what will be here, so a
/// shared link never lands on a blank page.
#[component]
pub fn Planned(
    title: String,
    /// What the finished page will do.
    summary: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="page planned">
            <h1>{title}</h1>
            <p>{summary}</p>
            {children.map(|children| children())}
        </section>
    }
}
