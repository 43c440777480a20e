import type { StatsApiClient } from "../../src/statsapi/client.js";
import { parseSubscriptionData } from "../../src/statsapi/subscription-data.js";
import type { SubscriptionData } from "../../src/statsapi/types.js";

/** The subscription data as the exporter reads it: the raw body through the data parser (null on 204). */
export async function readData(client: StatsApiClient): Promise<SubscriptionData | null> {
  const text = await client.getDataText();
  return text === null ? null : parseSubscriptionData(text);
}
