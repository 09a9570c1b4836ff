//! The instances of an order as the status answer lists them, each with
//! its SSH command to copy.

use leptos::prelude::*;
use supply_model::status::InstanceDetail;
use supply_model::text::or_dash;

use crate::components::copy_button::CopyButton;

#[component]
pub(crate) fn InstancesTable(
    #[prop(into)] instances: Signal<Vec<InstanceDetail>>,
) -> impl IntoView {
    let rows = move || instances.get().into_iter().map(instance_row).collect_view();
    view! {
        <div class="table-wrap">
            <table aria-label="Instances">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"ID"</th>
                        <th scope="col">"Zone"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"External IP"</th>
                        <th scope="col">"Internal IP"</th>
                        <th scope="col">"SSH command"</th>
                        <th scope="col"><span class="visually-hidden">"Copy"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn instance_row(instance: InstanceDetail) -> impl IntoView {
    let ssh = instance.ssh_command.clone();
    let shown = ssh
        .clone()
        .unwrap_or_else(|| "available when running".into());
    view! {
        <tr>
            <td>{instance.instance_name}</td>
            <td><code>{instance.instance_id}</code></td>
            <td>{instance.zone}</td>
            <td><span class="badge">{instance.status}</span></td>
            <td>{or_dash(instance.external_ip)}</td>
            <td>{or_dash(instance.internal_ip)}</td>
            <td><code>{shown}</code></td>
            <td><CopyButton text=Signal::derive(move || ssh.clone()) what="SSH command" /></td>
        </tr>
    }
}
