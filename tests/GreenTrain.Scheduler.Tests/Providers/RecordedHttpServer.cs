using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GreenTrain.Scheduler.Tests.Providers;

/// <summary>What the recorded server answers to one request.</summary>
internal sealed record RecordedResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false)
{
    public static RecordedResponse Json(string body) => new(200, body);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener on a free port) that answers with recorded provider
/// responses, so the providers' own HttpClient code runs over a socket exactly as against the real API.
/// A hanging response waits until the server is disposed, to let a client time out.
/// </summary>
internal sealed class RecordedHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, RecordedResponse> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RecordedHttpServer(Func<HttpListenerRequest, RecordedResponse> answer)
    {
        _answer = answer;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUrl { get; }

    public List<string> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        lock (Requests)
        {
            Requests.Add(context.Request.Url!.PathAndQuery);
        }
        var response = _answer(context.Request);
        try
        {
            if (response.Hang)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            context.Response.Abort();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop;
        _stop.Dispose();
    }
}
