using GreenTrain.ServiceDefaults.Cli;
using Microsoft.Extensions.Configuration;

namespace GreenTrain.ServiceDefaults.Tests.Cli;

public sealed class DeviceRequestTests
{
    [Theory]
    [InlineData("auto", DeviceRequestKind.Auto, 0)]
    [InlineData("cpu", DeviceRequestKind.Cpu, 0)]
    [InlineData("CUDA", DeviceRequestKind.Cuda, 0)]
    [InlineData("cuda:0", DeviceRequestKind.Cuda, 0)]
    [InlineData("cuda:3", DeviceRequestKind.Cuda, 3)]
    public void Accepts_auto_cpu_cuda_and_cuda_N(string text, DeviceRequestKind kind, int index)
    {
        DeviceRequest.TryParse(text, out var request).Should().BeTrue();

        request.Should().Be(new DeviceRequest(kind, index));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:x")]
    [InlineData("cuda:-1")]
    [InlineData("")]
    public void Rejects_anything_else(string text)
    {
        DeviceRequest.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Round_trips_through_its_text_so_a_relaunched_child_gets_the_same_device()
    {
        DeviceRequest.Parse(new DeviceRequest(DeviceRequestKind.Cuda, 2).ToString()).Should().Be(new DeviceRequest(DeviceRequestKind.Cuda, 2));
        DeviceRequest.Cpu.ToString().Should().Be("cpu");
    }

    private sealed class Settings
    {
        public DeviceRequest Device { get; set; } = DeviceRequest.Auto;
    }

    [Fact]
    public void Configuration_binding_reads_cuda_N_and_refuses_a_typo()
    {
        Bind("cuda:1").Device.Should().Be(new DeviceRequest(DeviceRequestKind.Cuda, 1));

        var typo = () => Bind("7");
        typo.Should().Throw<InvalidOperationException>().Which.ToString().Should().Contain("device '7' is not auto, cpu, cuda or cuda:N");
    }

    private static Settings Bind(string device) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Device"] = device }).Build().Get<Settings>()!;
}
