// Hangfire keeps process-wide state (JobStorage.Current, GlobalConfiguration): two in-process
// hosts starting side by side can end up enqueuing into each other's storage. One process hosts
// one service in production; here the test classes that start hosts run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
