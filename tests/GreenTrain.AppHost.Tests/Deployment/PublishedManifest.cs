using System.Text.Json.Nodes;
using GreenTrain.AppHost.Tests.Support;

namespace GreenTrain.AppHost.Tests.Deployment;

/// <summary>
/// The manifest `dotnet run --project AppHost -- --publisher manifest --output-path DIR` writes, made by the built
/// AppHost in a scratch folder, with the resources and their environments as JSON a test can walk.
/// </summary>
public sealed class PublishedManifest
{
    private PublishedManifest(string text, JsonObject resources)
    {
        Text = text;
        Resources = resources;
    }

    /// <summary>The manifest file as written, to search for values that must never be in it.</summary>
    public string Text { get; }

    public JsonObject Resources { get; }

    public IEnumerable<string> Projects => Resources.Where(r => Type(r.Key).StartsWith("project.", StringComparison.Ordinal)).Select(r => r.Key);

    public IEnumerable<string> SecretParameters => Resources
        .Where(r => Type(r.Key) == "parameter.v0" && r.Value!["inputs"]?.AsObject().Any(i => i.Value?["secret"]?.GetValue<bool>() == true) == true)
        .Select(r => r.Key);

    public string Type(string resource) => Resources[resource]?["type"]?.GetValue<string>() ?? "";

    /// <summary>A project's or container's environment: name to value (an expression such as {store.connectionString} or a literal).</summary>
    public IReadOnlyDictionary<string, string> Env(string resource) =>
        Resources[resource]?["env"]?.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>()) ?? new Dictionary<string, string>();

    public static async Task<(AppHostProcess.Run Run, PublishedManifest? Manifest)> PublishAsync(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"greentrain-manifest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var run = await AppHostProcess.RunAsync(["--publisher", "manifest", "--output-path", folder],
                environment ?? new Dictionary<string, string?>(), TimeSpan.FromMinutes(3));
            var file = Directory.GetFiles(folder, "*.json").FirstOrDefault();
            if (run.ExitCode != 0 || file is null)
            {
                return (run, null);
            }
            var text = await File.ReadAllTextAsync(file);
            return (run, new PublishedManifest(text, JsonNode.Parse(text)!["resources"]!.AsObject()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>One default publish shared by the tests that only read it (a publish starts the AppHost: seconds on a loaded machine).</summary>
public sealed class DefaultManifestFixture : IAsyncLifetime
{
    /// <summary>Given to the AppHost as the Electricity Maps token, so a test can prove the value stays out of the manifest.</summary>
    public const string KnownToken = "known-token-7d1e55a0";

    public PublishedManifest Manifest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (run, manifest) = await PublishedManifest.PublishAsync(new Dictionary<string, string?>
        {
            ["Parameters__electricitymaps-token"] = KnownToken,
        });
        Manifest = manifest ?? throw new InvalidOperationException($"Publishing failed ({run.ExitCode}): {run.Stderr}{run.Stdout}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
