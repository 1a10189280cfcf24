import type { createFakeActivities } from './fake-activities';

type TActivities = ReturnType<typeof createFakeActivities>['activities'];

/**
 * The activities with `name` held: its first call for which `matches(input)` holds waits, once started, until
 * `release()`, so a test can act while the activity runs (e.g. void a contract while its PDF is made).
 */
export function holdActivity<K extends keyof TActivities>(
  activities: TActivities,
  name: K,
  matches: (input: Parameters<TActivities[K]>[0]) => boolean = () => true,
) {
  let started!: () => void;
  let release!: () => void;
  const whenStarted = new Promise<void>((resolve) => (started = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const original = activities[name] as (input: Parameters<TActivities[K]>[0]) => ReturnType<TActivities[K]>;
  let holding = true;
  const held = async (input: Parameters<TActivities[K]>[0]) => {
    if (holding && matches(input)) {
      holding = false;
      started();
      await released;
    }
    return original(input);
  };
  return { activities: { ...activities, [name]: held }, whenStarted, release };
}
