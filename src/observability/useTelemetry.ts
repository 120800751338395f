/**
 * An Apollo Server plugin with one job: tell the request's `RequestTelemetry` (in its
 * context) the operation's name, the error codes of the response and whether it carried
 * data, for the request log line and metrics written when the response ends.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { RequestTelemetry } from './requestTelemetry.js';

/** What the plugin needs of a request's context. */
interface WithTelemetry {
  telemetry?: RequestTelemetry;
}

/** Stateless (everything it needs arrives with the hook), so one listener serves every request. */
const listener: GraphQLRequestListener<WithTelemetry> = {
  async willSendResponse({ contextValue, operationName, response }) {
    const telemetry = contextValue.telemetry;
    if (!telemetry) return;
    telemetry.operationName = operationName ?? null;
    const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
    telemetry.hasData = result.data !== undefined && result.data !== null;
    telemetry.errorCodes = (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  },
};

export function useTelemetry(): ApolloServerPlugin<WithTelemetry> {
  return { requestDidStart: async () => listener };
}
