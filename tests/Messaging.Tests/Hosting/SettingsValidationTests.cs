using Microsoft.Extensions.Options;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Dialogue;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Hosting;

/// <summary>Settings are checked at start, per profile, and every problem is named.</summary>
public sealed class SettingsValidationTests
{
    [Fact]
    public void Validate_EmbeddedDefaults_Valid()
    {
        // Arrange
        var server = new ServerOptions();

        // Act
        var failures = Validate(server, new DatabaseOptions(), new SignInOptions());

        // Assert
        Assert.Empty(failures);
    }

    [Fact]
    public void Validate_ProductionWithPostgresAndProvider_Valid()
    {
        // Arrange
        var server = new ServerOptions { Profile = "production" };
        var database = new DatabaseOptions { ConnectionString = "Host=db.internal;Database=sdlg;Username=sdlg;Password=secret" };
        var signIn = new SignInOptions { Authority = "https://login.example.org/realms/untoc", Audience = "securedialogue" };

        // Act
        var failures = Validate(server, database, signIn);

        // Assert
        Assert.Empty(failures);
    }

    [Fact]
    public void Validate_ProductionWithNothingConfigured_NamesEveryMissingSetting()
    {
        // Arrange
        var server = new ServerOptions { Profile = "Production" };

        // Act
        var failures = Validate(server, new DatabaseOptions(), new SignInOptions());

        // Assert
        Assert.Collection(
            failures,
            f => Assert.StartsWith("Database:ConnectionString is required", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Identity:Authority is required", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Identity:Audience is required", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ProductionOnSqliteOrPlainHttpAuthority_Refused()
    {
        // Arrange
        var server = new ServerOptions { Profile = "Production" };
        var database = new DatabaseOptions { Engine = "sqlite" };
        var signIn = new SignInOptions { Authority = "http://login.example.org", Audience = "securedialogue" };

        // Act
        var failures = Validate(server, database, signIn);

        // Assert
        Assert.Contains(failures, f => f.Contains("stores its data in PostgreSQL", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("is not https", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PasswordInABadConnectionString_IsNeverEchoed()
    {
        // Arrange
        var server = new ServerOptions { Profile = "Production" };
        var database = new DatabaseOptions { ConnectionString = "Password=hunter2;Nonsense" };

        // Act
        var failures = Validate(server, database, new SignInOptions { Authority = "https://a.example", Audience = "x" });

        // Assert
        var failure = Assert.Single(failures);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cloud", null, null, "Server:Profile is 'Cloud'")]
    [InlineData(null, "Mongo", null, "Database:Engine is 'Mongo'")]
    [InlineData(null, null, "Host=x", "Database:ConnectionString is set but the engine is SQLite")]
    public void Validate_EmbeddedMistakes_Named(string? profile, string? engine, string? connectionString, string expected)
    {
        // Arrange
        var server = new ServerOptions { Profile = profile ?? "Embedded" };
        var database = new DatabaseOptions { Engine = engine, ConnectionString = connectionString };

        // Act
        var failures = Validate(server, database, new SignInOptions());

        // Assert
        Assert.Contains(failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmbeddedWithAnOidcAuthority_Refused()
    {
        // Arrange: development sign-in and an external issuer are never mixed.
        var signIn = new SignInOptions { Authority = "https://login.example.org", Audience = "x" };

        // Act
        var failures = Validate(new ServerOptions(), new DatabaseOptions(), signIn);

        // Assert
        Assert.Contains(failures, f => f.StartsWith("Identity:Authority and Identity:Audience are used only by the Production profile", StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_HubAndHttp_FitTheLargestEnvelopeInBase64Json()
    {
        // Arrange
        var largestBase64 = (Envelope.MaxEncodedSize + 2) / 3 * 4;

        // Act and assert
        Assert.True(DialogueHubContract.MaxMessageSize >= largestBase64 + 256);
        Assert.True(DialogueEndpoints.MaxEnvelopeRequestSize >= largestBase64 + 256);
        Assert.True(DialogueHubContract.MaxMessageSize <= largestBase64 + 8192);
    }

    [Fact]
    public void ErrorCodeOf_SignalRWrappedMessage_ReturnsTheProblemCode()
    {
        // Arrange
        var message = "An unexpected error occurred invoking 'Send' on the server. HubException: stale-epoch";

        // Act
        var code = DialogueHubContract.ErrorCodeOf(message);

        // Assert
        Assert.Equal("stale-epoch", code);
        Assert.Equal(ProblemTypes.StaleEpoch, ProblemTypes.FromCode(code));
        Assert.Equal("stale-epoch", ProblemTypes.CodeOf(ProblemTypes.StaleEpoch));
    }

    private static List<string> Validate(ServerOptions server, DatabaseOptions database, SignInOptions signIn)
    {
        var wrapped = Options.Create(server);
        var results = new[]
        {
            new ServerOptionsValidator().Validate(null, server),
            new DatabaseOptionsValidator(wrapped).Validate(null, database),
            new SignInOptionsValidator(wrapped).Validate(null, signIn),
        };
        return [.. results.Where(r => r.Failed).SelectMany(r => r.Failures ?? [])];
    }
}
