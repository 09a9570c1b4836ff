//! The one markup of a message the page says out loud (`role="alert"`):
//! what went wrong, what happened, what to do. [`ErrorPanel`] is the alert
//! for a failed call; pages use this one to say a failure in their own
//! words. Its classes are the `.error-panel` ones the style sheet and the
//! end-to-end tests know.
//!
//! [`ErrorPanel`]: crate::components::error_panel::ErrorPanel

use leptos::either::Either;
use leptos::prelude::*;

/// What happened, under the title.
#[slot]
pub(crate) struct AlertMessage {
    /// The children are reasons (`<li>`), shown as a list rather than a
    /// paragraph.
    #[prop(optional)]
    list: bool,
    children: Children,
}

/// What to do about it.
#[slot]
pub(crate) struct AlertAction {
    children: Children,
}

#[component]
pub(crate) fn Alert(
    /// What went wrong: the alert's heading.
    #[prop(into)]
    title: String,
    /// Makes the heading the page's `<h1>`, with this id, for a page that
    /// is nothing but the alert (its section is labelled by the heading).
    #[prop(optional)]
    page_heading: Option<&'static str>,
    #[prop(optional)] alert_message: Option<AlertMessage>,
    #[prop(optional)] alert_action: Option<AlertAction>,
    /// Whatever follows the action: a request id, buttons.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let heading = match page_heading {
        Some(id) => Either::Left(view! { <h1 id=id class="error-panel__title">{title}</h1> }),
        None => Either::Right(view! { <h2 class="error-panel__title">{title}</h2> }),
    };
    let message = alert_message.map(|message| {
        let content = (message.children)();
        if message.list {
            Either::Left(view! { <ul class="error-panel__message">{content}</ul> })
        } else {
            Either::Right(view! { <p class="error-panel__message">{content}</p> })
        }
    });
    let action = alert_action
        .map(|action| view! { <p class="error-panel__action">{(action.children)()}</p> });
    view! {
        <div class="error-panel" role="alert">
            {heading}
            {message}
            {action}
            {children.map(|children| children())}
        </div>
    }
}
