using GreenTrain.AppHost;
using GreenTrain.AppHost.Store;

namespace GreenTrain.AppHost.Tests.Store;

public sealed class StoreSelectionTests
{
    private static bool NotAsked() => throw new InvalidOperationException("the container runtime should not be probed");

    [Fact]
    public void A_configured_connection_string_wins_over_everything() =>
        StoreSelection.Choose("myredis:6380", "embedded", isPublishMode: true, NotAsked).Should().Be(StoreSource.ConnectionString);

    [Fact]
    public void Publishing_always_declares_the_Redis_container() =>
        StoreSelection.Choose(null, "embedded", isPublishMode: true, NotAsked).Should().Be(StoreSource.RedisContainer);

    [Theory]
    [InlineData(true, StoreSource.RedisContainer)]
    [InlineData(false, StoreSource.EmbeddedGarnet)]
    public void Auto_uses_a_container_only_when_the_runtime_is_healthy(bool healthy, StoreSource expected) =>
        StoreSelection.Choose(null, null, isPublishMode: false, () => healthy).Should().Be(expected);

    [Fact]
    public void Embedded_mode_does_not_probe_the_container_runtime() =>
        StoreSelection.Choose("", "embedded", isPublishMode: false, NotAsked).Should().Be(StoreSource.EmbeddedGarnet);

    [Fact]
    public void An_unknown_mode_is_refused_naming_the_setting() =>
        FluentActions.Invoking(() => StoreSelection.Choose(null, "postgres", false, () => false))
            .Should().Throw<AppHostConfigurationException>().Which.Setting.Should().Be("Store:Mode");

    [Fact]
    public void A_client_with_no_engine_behind_it_is_not_healthy() =>
        ContainerRuntimeProbe.IsHealthy("greentrain-no-such-container-runtime", TimeSpan.FromSeconds(5)).Should().BeFalse();
}
