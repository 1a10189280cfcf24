import { InterceptingCall, ListenerBuilder, RequesterBuilder, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export interface TCountedConnection {
  readonly connection: Connection;
  /**
   * Resolves once no call is in flight, or after `timeoutMs`. A call counts from its start to its final status,
   * its retries included: a retry that fires after the connection closed throws where no test can catch it.
   */
  settled(timeoutMs: number): Promise<void>;
}

/** A client connection with the SDK's retries, counting the calls in flight. */
export async function connectCounted(address: string): Promise<TCountedConnection> {
  let inFlight = 0;
  const counting: Interceptor = (options, nextCall) =>
    new InterceptingCall(
      nextCall(options),
      new RequesterBuilder()
        .withStart((metadata, _listener, next) => {
          inFlight += 1;
          const counted = new ListenerBuilder()
            .withOnReceiveStatus((status, nextStatus) => {
              inFlight -= 1;
              nextStatus(status);
            })
            .build();
          next(metadata, counted);
        })
        .build(),
    );
  const connection = await Connection.connect({ address, interceptors: [counting, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())] });
  return {
    connection,
    settled: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
