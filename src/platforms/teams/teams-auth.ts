// Bot Framework authentication for the Teams bot, from the usual environment names (MicrosoftAppId,
// MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId; read by config.ts, never here).
//
// Two things botbuilder does on its own that sendbot does not want:
//
// 1. With no MicrosoftAppId it silently turns authentication OFF: anyone who can reach
//    /api/messages can speak as any Teams user. `checkTeamsAuth` allows that only when
//    TEAMS_ALLOW_UNAUTHENTICATED is set (local testing) and the caller logs it loudly; otherwise
//    the bot refuses to start.
//
// 2. Its ConnectorClient (an @azure/core-client pipeline) retries by itself: up to 3 times with
//    exponential backoff on 5xx and network errors, and on a 429/503 it waits out Retry-After inside
//    the call, however long that is. For proactive sends the OUTBOX owns retries (attempt counts,
//    jittered backoff, dead letters), so the connector clients made for proactive turns get that
//    retry policy removed: one HTTP attempt per send, and a 429 comes back to the delivery adapter
//    with its Retry-After. `ConnectorClientOptions.noRetryPolicy` exists in the types but botbuilder's
//    core-http compat layer ignores it (see botbuilder-stdlib's serviceClientContext.js), and the
//    ConnectorFactory overwrites `requestPolicyFactories`, so removing the named pipeline policy is
//    the one lever there is. It reaches a private field; if a future botbuilder moves it, the
//    removal is skipped with a warning and the outbox still works, with botbuilder's retries nested
//    inside each attempt. Replies inside a turn (someone waiting for an answer) keep botbuilder's
//    retries.
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';

export type TeamsConfig = NonNullable<Config['teams']>;

type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/** The name @azure/core-rest-pipeline gives the retry policy it adds to every client pipeline. */
export const CONNECTOR_RETRY_POLICY = 'defaultRetryPolicy';

export class TeamsStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TeamsStartError';
  }
}

export type TeamsAuthMode = 'authenticated' | 'unauthenticated';

/**
 * Decides whether the bot may start. Without an app id botbuilder accepts unauthenticated requests,
 * which is only acceptable when someone asked for it explicitly (local testing).
 */
export function checkTeamsAuth(config: TeamsConfig): TeamsAuthMode {
  if (config.appId) return 'authenticated';
  if (config.allowUnauthenticated) return 'unauthenticated';
  throw new TeamsStartError(
    'Teams needs MicrosoftAppId (and MicrosoftAppPassword) from the bot registration. Without an app id botbuilder accepts unauthenticated requests; set TEAMS_ALLOW_UNAUTHENTICATED=true only for local testing.',
  );
}

/** Logs the authentication mode; the unauthenticated one as a warning on every start. */
export function logTeamsAuthMode(config: TeamsConfig, logger: Logger): TeamsAuthMode {
  const mode = checkTeamsAuth(config);
  if (mode === 'unauthenticated') {
    logger.warn(
      { teamsAuth: 'OFF' },
      'TEAMS AUTHENTICATION IS OFF (TEAMS_ALLOW_UNAUTHENTICATED=true and no MicrosoftAppId): anyone who can reach /api/messages can act as any Teams user. Use this only for local testing.',
    );
  } else if (config.allowUnauthenticated) {
    logger.info({ teamsAuth: 'on' }, 'MicrosoftAppId is set, so TEAMS_ALLOW_UNAUTHENTICATED is ignored: Teams requests must carry a valid token');
  }
  return mode;
}

/**
 * Removes the client's own retry policy. True when removed (or already absent); false when the
 * pipeline could not be reached, in which case botbuilder's retries stay in place.
 */
export function removeConnectorRetries(client: ConnectorClient): boolean {
  // `client` is a private field of botbuilder-stdlib's ServiceClientContext (see the note at the top).
  const pipeline = (client as unknown as { client?: { pipeline?: unknown } }).client?.pipeline as
    | { removePolicy?: (options: { name: string }) => unknown; getOrderedPolicies?: () => { name: string }[] }
    | undefined;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.getOrderedPolicies !== 'function') return false;
  pipeline.removePolicy({ name: CONNECTOR_RETRY_POLICY });
  return !pipeline.getOrderedPolicies().some((policy) => policy.name === CONNECTOR_RETRY_POLICY);
}

/**
 * ConfigurationBotFrameworkAuthentication whose proactive connector clients make one attempt per
 * call. `createConnectorFactory` is what CloudAdapter uses for continueConversationAsync and
 * createConversationAsync; replies within a turn use the factory from `authenticateRequest`, which
 * is left as botbuilder made it.
 */
/**
 * Where the Bot Framework publishes the keys that sign its tokens. Public Azure's unless given:
 * tests give a loopback server's (never configurable from the environment — whoever sets it decides
 * which tokens are genuine).
 */
export interface TokenKeyEndpoints {
  openIdMetadataUrl: string;
}

/**
 * The public Azure cloud's settings (botframework-connector's AuthenticationConstants), with the
 * token-signing key endpoints replaced. botbuilder takes all of them or none.
 */
function publicCloudWith(endpoints: TokenKeyEndpoints): Record<string, string | boolean> {
  return {
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: true,
  };
}

export class SendbotBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private warned = false;

  constructor(
    config: TeamsConfig,
    private readonly logger?: Logger,
    endpoints?: TokenKeyEndpoints,
  ) {
    super({
      ...(config.appId ? { MicrosoftAppId: config.appId } : {}),
      ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
      MicrosoftAppType: config.appType,
      ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
      ...(endpoints ? publicCloudWith(endpoints) : {}),
    });
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    return {
      create: async (serviceUrl: string, audience?: string) => {
        const client = await inner.create(serviceUrl, audience);
        if (!removeConnectorRetries(client) && !this.warned) {
          this.warned = true;
          this.logger?.warn(
            'could not remove botbuilder’s connector retry policy: proactive sends may wait out Retry-After and retry inside one outbox attempt',
          );
        }
        return client;
      },
    };
  }
}

/** Builds the authentication, turning botbuilder's configuration assertions into a TeamsStartError. */
export function createBotFrameworkAuthentication(config: TeamsConfig, logger?: Logger, endpoints?: TokenKeyEndpoints): SendbotBotFrameworkAuthentication {
  checkTeamsAuth(config);
  try {
    return new SendbotBotFrameworkAuthentication(config, logger, endpoints);
  } catch (error) {
    throw new TeamsStartError(`The Teams settings were not accepted: ${(error as Error).message}`, { cause: error });
  }
}
