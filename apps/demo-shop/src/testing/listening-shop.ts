import type { AddressInfo } from 'node:net';
import { AdminApi } from '../admin/admin-api';
import type { AdminStore } from '../admin/admin-store';
import { ShopControls } from '../admin/shop-controls';
import type { ReservationRepository } from '../reservation.repository';
import { ShopServer } from '../shop.server';

export interface ListeningShop {
  shop: ShopServer;
  controls: ShopControls;
  url: string;
}

/** One shop copy with its admin API on `store`, listening on a free port of 127.0.0.1, as main.ts wires it. */
export async function listeningShop(
  repository: ReservationRepository,
  store: AdminStore,
  adminToken: string,
): Promise<ListeningShop> {
  const controls = new ShopControls(1000);
  const shop = new ShopServer({
    repository,
    verifier: null,
    workMs: 0,
    controls,
    admin: new AdminApi(controls, store, adminToken),
  });
  await new Promise<void>((resolve) => shop.server.listen(0, '127.0.0.1', resolve));
  return { shop, controls, url: `http://127.0.0.1:${(shop.server.address() as AddressInfo).port}` };
}
