namespace GreenTrain.EndToEnd.Tests.Lifecycle;

/// <summary>
/// Tests that run after every other test of the project, one at a time. The Ctrl-C shutdown test's AppHost sometimes
/// printed nothing for a minute after SIGINT and did not exit (three CI runs out of about a dozen), each time while
/// other tests' AppHosts ran beside it; alone it passed every time, also beside four CPU burners on this 2-core
/// machine. The cause is not found (AppHostProcess's timeout now prints the process tree for the next time); what the
/// test asserts is the shutdown order, not shutdown beside other orchestrators, so it runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
