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

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc bench';
// A resource the simulator seeds, and a k0rdent project's instances.
const RESOURCE = '0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01';
const INSTANCES = '/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances';

/**
 * The pages the browser benches measure, as [name, path, options]: settings
 * signed out, then signed in every other page. An offer is ordered first,
 * so that procure has one to order and status one under way.
 */
export async function benchPages(api) {
  const [toProcure, procured] = await getOffers(api, { compute: { type: 'vm' } });
  await procure(api, procured.offer_id, KEY);
  return [
    ['/settings (signed out)', '/settings', { signedOut: true }],
    ['/offers', '/offers'],
    ['/offers/:id/procure', `/offers/${toProcure.offer_id}/procure`],
    ['/offers/:id/status', `/offers/${procured.offer_id}/status`],
    ['/resources', '/resources'],
    ['/resources/:id', `/resources/${RESOURCE}`],
    ['/k0rdent', '/k0rdent'],
    ['k0rdent instances', INSTANCES],
    ['k0rdent instance', `${INSTANCES}/instance-a1b2c3`],
  ];
}
