// The simulated Supply Service as the benches call it: offers are asked for
// the way the console asks (a YAML spec; JSON is YAML), every GPU family and
// one GPU unless the spec says otherwise.

const AUTH = { Authorization: 'Bearer demo-token' };

export async function families(api) {
  const res = await fetch(`${api}/available_gpus`, { headers: AUTH });
  return Object.keys(await res.json());
}

export async function getOffers(api, spec = {}) {
  const compute = { gpu_count: 1, ...(spec.compute ?? {}) };
  if (compute.gpu_type === undefined) compute.gpu_type = (await families(api)).join(' | ');
  const res = await fetch(`${api}/get_offers`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/yaml' },
    body: JSON.stringify({ ...spec, compute }),
  });
  if (!res.ok) throw new Error(`get_offers: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).offers;
}

export async function procure(api, offerId, sshPublicKey) {
  const res = await fetch(`${api}/procure_offer`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ offer_id: offerId, ssh_public_key: sshPublicKey }),
  });
  if (!res.ok) throw new Error(`procure_offer: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
