using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>A signed-in person with one device whose card is registered.</summary>
public sealed class Participant : IDisposable
{
    private Participant(string user, string token, HttpClient http, DeviceIdentity device, Guid accountId)
    {
        User = user;
        Token = token;
        Http = http;
        Device = device;
        AccountId = accountId;
    }

    public string User { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    public DeviceIdentity Device { get; }

    public Guid AccountId { get; }

    /// <summary>Signs in as <paramref name="user"/> and registers a fresh device.</summary>
    public static async Task<Participant> SignInAsync(ITestServer host, string user, bool secretariat = false, bool registerDevice = true)
    {
        var token = await host.TokenAsync(user, secretariat);
        var http = host.ClientWith(token);
        var device = DeviceIdentity.Create();
        if (registerDevice)
        {
            using var response = await http.PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(device.PublicKeys.Encode()));
            response.EnsureSuccessStatusCode();
        }

        var me = await http.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);
        return new Participant(user, token, http, device, me!.AccountId);
    }

    public void Dispose()
    {
        Http.Dispose();
        Device.Dispose();
    }
}
