namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>The tests that share one running AppHost (<see cref="LoopFixture"/>): starting another costs a minute of CI each.</summary>
[CollectionDefinition(Name)]
public sealed class LoopCollection : ICollectionFixture<LoopFixture>
{
    public const string Name = "carbon loop";
}
