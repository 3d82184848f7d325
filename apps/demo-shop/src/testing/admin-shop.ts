import type { AddressInfo } from 'node:net';
import { AdminApi } from '../admin/admin-api';
import { MemoryAdminStore } from '../admin/memory-admin.store';
import type { ShopControls } from '../admin/shop-controls';
import type { ReservationRepository } from '../reservation.repository';
import { type ShopLoadModel, ShopServer } from '../shop.server';

/** A shop with its admin API on a free loopback port, its settings in memory and a repository that never sells out. */
export async function startAdminShop(
  controls: ShopControls,
  token: string,
  load?: ShopLoadModel,
): Promise<{ shop: ShopServer; url: string }> {
  const repository = { availability: async () => ({ capacity: 10, reserved: 0 }) } as unknown as ReservationRepository;
  const admin = new AdminApi(controls, new MemoryAdminStore(), token);
  const shop = new ShopServer({ repository, verifier: null, workMs: 0, controls, admin, ...(load ? { load } : {}) });
  await new Promise<void>((resolve) => shop.server.listen(0, '127.0.0.1', resolve));
  return { shop, url: `http://127.0.0.1:${(shop.server.address() as AddressInfo).port}` };
}
