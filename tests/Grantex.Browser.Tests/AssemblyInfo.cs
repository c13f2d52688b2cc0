// Browser collections run one after another: on 2 cores, parallel browsers are slower, not faster.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
