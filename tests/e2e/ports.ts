// Test ports, shared by the config (to start the simulator) and the helpers.
export const UI_PORT = Number(process.env.E2E_UI_PORT ?? 18080);
export const API_PORT = Number(process.env.E2E_API_PORT ?? 18787);
export const K0RDENT_PORT = Number(process.env.E2E_K0RDENT_PORT ?? 18788);

export const UI_URL = `http://127.0.0.1:${UI_PORT}`;
export const API_URL = `http://127.0.0.1:${API_PORT}`;
export const K0RDENT_URL = `http://127.0.0.1:${K0RDENT_PORT}`;
