//! How to reach the resource: the API's access fields as sent, and a
//! ready connection bundle built from them (command, `~/.ssh/config`
//! block, VS Code link, known-hosts hint), each with a copy button.

use leptos::prelude::*;
use supply_model::connection::ConnectionBundle;
use supply_model::text::or_dash;
use supply_model::{ResourceAccessInfo, ResourceSummary};

use super::facts::field;
use crate::components::copy_button::CopyButton;

/// A value with its copy button, or a dash when the API gave none.
#[component]
fn Copyable(#[prop(into)] value: Signal<Option<String>>, what: &'static str) -> impl IntoView {
    view! {
        <code>{move || or_dash(value.get())}</code>
        " "
        <CopyButton text=value what />
    }
}

/// Said on both access cards once a delete began.
#[component]
fn AccessEnded(ended: Signal<bool>) -> impl IntoView {
    move || {
        ended.get().then_some(view! {
            <p class="access-ended">"Access ended with the delete: these are the last details the service gave."</p>
        })
    }
}

#[component]
pub(crate) fn AccessPanel(
    resource: Memo<Option<ResourceSummary>>,
    /// A delete began: the fields are shown greyed out, not to be used.
    #[prop(into)]
    ended: Signal<bool>,
) -> impl IntoView {
    let access = field(resource, |r| r.access.clone());
    let part = move |read: fn(&ResourceAccessInfo) -> Option<String>| {
        Signal::derive(move || {
            access.with(|a| {
                a.as_ref()
                    .and_then(Option::as_ref)
                    .and_then(read)
                    .filter(|v| !v.is_empty())
            })
        })
    };
    let port = move || {
        or_dash(access.with(|a| a.as_ref().and_then(Option::as_ref).and_then(|a| a.ssh_port)))
    };
    let none = move || access.with(|a| a.as_ref().and_then(Option::as_ref).is_none());
    view! {
        <section class="card" class:is-ended=ended aria-labelledby="access-title">
            <h2 id="access-title">"Access"</h2>
            <AccessEnded ended />
            <Show when=none>
                <p class="muted">"The API gives no access details for this resource (yet)."</p>
            </Show>
            <dl class="facts">
                <dt>"External IP"</dt>
                <dd><Copyable value=part(|a| a.external_ip.clone()) what="external IP" /></dd>
                <dt>"Internal IP"</dt>
                <dd><Copyable value=part(|a| a.internal_ip.clone()) what="internal IP" /></dd>
                <dt>"SSH port"</dt>
                <dd class="ssh-port">{port}</dd>
                <dt>"SSH command"</dt>
                <dd><Copyable value=part(|a| a.ssh_command.clone()) what="SSH command" /></dd>
            </dl>
        </section>
    }
}

#[component]
pub(crate) fn BundlePanel(
    resource: Memo<Option<ResourceSummary>>,
    #[prop(into)] ended: Signal<bool>,
) -> impl IntoView {
    let bundle = field(resource, ConnectionBundle::for_resource);
    let part = move |read: fn(&ConnectionBundle) -> String| {
        Signal::derive(move || bundle.with(|b| b.as_ref().and_then(Option::as_ref).map(read)))
    };
    let command = part(|b| b.command.clone());
    let config = part(|b| b.config_block.clone());
    let vscode = part(|b| b.vscode_link.clone());
    let hint = part(|b| b.known_hosts_hint.clone());
    let ready = move || bundle.with(|b| b.as_ref().is_some_and(Option::is_some));
    view! {
        <section class="card bundle" class:is-ended=ended aria-labelledby="bundle-title">
            <h2 id="bundle-title">"Connection bundle"</h2>
            <AccessEnded ended />
            <Show
                when=ready
                fallback=|| view! { <p class="muted">"Available once the resource has an address to connect to."</p> }
            >
                <h3>"SSH"</h3>
                <pre><code>{move || command.get()}</code></pre>
                <CopyButton text=command what="connection command" />
                <h3>"~/.ssh/config"</h3>
                <pre><code>{move || config.get()}</code></pre>
                <CopyButton text=config what="SSH config block" />
                <h3>"VS Code"</h3>
                <p>
                    <a href=move || vscode.get() class="button">"Open in VS Code (Remote-SSH)"</a>
                    " "
                    <CopyButton text=vscode what="VS Code link" />
                </p>
                <h3>"Host key changed?"</h3>
                <p class="hint">
                    "Providers reuse addresses; if ssh warns that the host key changed, forget the old one:"
                </p>
                <pre><code>{move || hint.get()}</code></pre>
                <CopyButton text=hint what="known hosts command" />
            </Show>
        </section>
    }
}
