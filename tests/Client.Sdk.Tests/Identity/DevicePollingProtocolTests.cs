using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Client.Identity;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>
/// RFC 8628 section 3.5 polling rules, with a scripted provider and a fake clock so that the timing of
/// every poll can be checked exactly: the clock jumps to each timer the client arms, and nothing else moves it. (The real provider covers the successful paths; these are the
/// answers a well-behaved client rarely provokes from it: slow_down, expired_token, outages.)
/// </summary>
public sealed class DevicePollingProtocolTests
{
    [Fact]
    public async Task CompleteDeviceAuthorization_SlowDown_AddsFiveSecondsToTheInterval()
    {
        // Arrange
        var provider = new ScriptedProvider(interval: 1, "authorization_pending", "slow_down", "authorization_pending", "access_denied");

        // Act
        var (result, polls) = await provider.RunAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.AccessDenied, result.Error.Kind);
        AssertGaps(polls, 1, 1, 6, 6);
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_ProviderSaysExpired_ReturnsDeviceCodeExpired()
    {
        // Arrange
        var provider = new ScriptedProvider(interval: 1, "authorization_pending", "expired_token");

        // Act
        var (result, polls) = await provider.RunAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.DeviceCodeExpired, result.Error.Kind);
        Assert.Equal(2, polls.Count);
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_CodeLifetimeEnds_StopsPollingAtTheDeadline()
    {
        // Arrange: codes valid 3 s, the provider keeps saying pending.
        var provider = new ScriptedProvider(interval: 1, expiresIn: 3, Enumerable.Repeat("authorization_pending", 10).ToArray());

        // Act
        var (result, polls) = await provider.RunAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.DeviceCodeExpired, result.Error.Kind);
        Assert.Equal(2, polls.Count);
        Assert.All(polls, at => Assert.True(at < TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_ProviderBrieflyUnavailable_BacksOffAndContinues()
    {
        // Arrange
        var provider = new ScriptedProvider(interval: 1, "503", "authorization_pending", "access_denied");

        // Act
        var (result, polls) = await provider.RunAsync();

        // Assert: 1 s, then doubled to 2 s after the failure.
        Assert.Equal(IdentityErrorKind.AccessDenied, result.Error.Kind);
        AssertGaps(polls, 1, 2, 2);
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_ProviderDownFiveTimesInARow_ReturnsProviderUnreachable()
    {
        // Arrange
        var provider = new ScriptedProvider(interval: 1, "503", "503", "503", "503", "503", "authorization_pending");

        // Act
        var (result, polls) = await provider.RunAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.ProviderUnreachable, result.Error.Kind);
        Assert.Equal(5, polls.Count);
    }

    [Fact]
    public async Task CompleteDeviceAuthorization_OtherOAuthError_ReturnsProviderErrorWithItsCode()
    {
        // Arrange
        var provider = new ScriptedProvider(interval: 1, "invalid_client");

        // Act
        var (result, _) = await provider.RunAsync();

        // Assert
        Assert.Equal(IdentityErrorKind.ProviderError, result.Error.Kind);
        Assert.Contains("invalid_client", result.Error.Detail, StringComparison.Ordinal);
    }

    /// <summary>Each gap between polls (the first from the start) is exactly the expected seconds.</summary>
    private static void AssertGaps(IReadOnlyList<TimeSpan> polls, params int[] seconds)
    {
        var gaps = polls.Select((at, i) => at - (i == 0 ? TimeSpan.Zero : polls[i - 1]));
        Assert.Equal(seconds.Select(s => TimeSpan.FromSeconds(s)), gaps);
    }

    /// <summary>
    /// Answers discovery and device authorization, then the token endpoint from a script: an OAuth error
    /// code per poll, or "503" for an unavailable provider. Records when (on the fake clock) each poll came.
    /// </summary>
    private sealed class ScriptedProvider : HttpMessageHandler
    {
        private const string Issuer = "https://op.test";
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        private readonly ArmedTimerClock _clock;
        private readonly DateTimeOffset _start;
        private readonly Queue<string> _answers;
        private readonly int _interval;
        private readonly int _expiresIn;
        private readonly List<TimeSpan> _polls = [];

        public ScriptedProvider(int interval, params string[] answers)
            : this(interval, 600, answers)
        {
        }

        public ScriptedProvider(int interval, int expiresIn, params string[] answers)
        {
            _interval = interval;
            _expiresIn = expiresIn;
            _answers = new Queue<string>(answers);
            _start = _time.GetUtcNow();
            _clock = new ArmedTimerClock(_time);
        }

        public async Task<(SecureDialogue.Vault.Result<TokenSet, IdentityError> Result, IReadOnlyList<TimeSpan> Polls)> RunAsync()
        {
            using var http = new HttpClient(this, disposeHandler: false);
            var client = new OidcClient(new OidcClientOptions { Issuer = new Uri(Issuer) }, http, _clock);
            var authorization = (await client.StartDeviceAuthorizationAsync()).Value!;
            var completion = client.CompleteDeviceAuthorizationAsync(authorization);
            while (true)
            {
                var armed = _clock.Armed.WaitToReadAsync().AsTask();
                if (await Task.WhenAny(armed, completion).WaitAsync(TimeSpan.FromSeconds(30)) == completion)
                {
                    return (await completion, _polls);
                }

                // Jump exactly to the timer the client is waiting for.
                _time.Advance(await _clock.Armed.ReadAsync());
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            switch (path)
            {
                case "/.well-known/openid-configuration":
                    return Json(HttpStatusCode.OK, $$"""
                        {"issuer":"{{Issuer}}","authorization_endpoint":"{{Issuer}}/auth","token_endpoint":"{{Issuer}}/token",
                         "device_authorization_endpoint":"{{Issuer}}/device/auth","jwks_uri":"{{Issuer}}/jwks"}
                        """);
                case "/device/auth":
                    return Json(HttpStatusCode.OK, $$"""
                        {"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"{{Issuer}}/device","expires_in":{{_expiresIn}},"interval":{{_interval}}}
                        """);
                case "/token":
                    var form = await request.Content!.ReadAsStringAsync(cancellationToken);
                    Assert.Contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code", form, StringComparison.Ordinal);
                    Assert.Contains("device_code=dc", form, StringComparison.Ordinal);
                    _polls.Add(_time.GetUtcNow() - _start);
                    var answer = _answers.Dequeue();
                    return answer == "503"
                        ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("<html>down</html>") }
                        : Json(HttpStatusCode.BadRequest, $$"""{"error":"{{answer}}"}""");
                default:
                    return new HttpResponseMessage(HttpStatusCode.NotFound);
            }
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    /// <summary>A fake clock that reports the due time of every timer armed on it (Task.Delay arms one).</summary>
    private sealed class ArmedTimerClock(FakeTimeProvider inner) : TimeProvider
    {
        private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

        public ChannelReader<TimeSpan> Armed => _armed.Reader;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            _armed.Writer.TryWrite(dueTime);
            return timer;
        }
    }
}
