using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Tests.Directory;

/// <summary>The key directory: device registration and the devices of a review's members.</summary>
public sealed class DeviceRegistrationTests(SqliteHostFixture hosts) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task Register_GoodCard_CreatedAndListedOnTheAccount()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var client = host.ClientWith(await host.TokenAsync(User()));
        using var device = DeviceIdentity.Create();

        // Act
        using var created = await client.PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(device.PublicKeys.Encode()));
        using var again = await client.PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(device.PublicKeys.Encode()));
        var me = await client.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var entry = Assert.Single(me!.Devices);
        Assert.Equal(device.Id.ToString(), entry.DeviceId);
        Assert.Equal(device.PublicKeys.Encode(), entry.Card);
        Assert.Equal(me.AccountId, entry.AccountId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(129)]
    public async Task Register_TamperedCard_BadRequestProblem(int index)
    {
        // Arrange: one flipped bit in the version, a key or the self-signature.
        var host = await hosts.GetHostAsync();
        using var client = host.ClientWith(await host.TokenAsync(User()));
        using var device = DeviceIdentity.Create();
        var card = device.PublicKeys.Encode();
        card[index] ^= 0x01;

        // Act
        using var response = await client.PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(card));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        var me = await client.GetFromJsonAsync<MeResponse>(HttpRoutes.Me);
        Assert.Empty(me!.Devices);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"card\":\"AAAA\"}")]
    [InlineData("{\"card\":\"%%%\"}")]
    [InlineData("{\"card\":12}")]
    public async Task Register_MalformedBody_BadRequestProblem(string body)
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var client = host.ClientWith(await host.TokenAsync(User()));
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        // Act
        using var response = await client.PostAsync(HttpRoutes.Devices, content);

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
    }

    [Fact]
    public async Task Register_CardOfAnotherAccountsDevice_Forbidden()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var owner = host.ClientWith(await host.TokenAsync(User()));
        using var thief = host.ClientWith(await host.TokenAsync(User()));
        using var device = DeviceIdentity.Create();
        using (var registered = await owner.PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(device.PublicKeys.Encode())))
        {
            registered.EnsureSuccessStatusCode();
        }

        // Act
        using var response = await thief.PostAsJsonAsync(HttpRoutes.Devices, new RegisterDevice(device.PublicKeys.Encode()));

        // Assert
        await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Empty((await thief.GetFromJsonAsync<MeResponse>(HttpRoutes.Me))!.Devices);
    }

    [Fact]
    public async Task ReviewDevices_ForAMember_ListsTheMembersDevicesButNotTheSecretariats()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);

        // Act
        var devices = await review.Olga.Http.GetFromJsonAsync<List<DeviceEntry>>(HttpRoutes.ReviewDevicesOf(review.ReviewId));

        // Assert
        var expected = new[] { review.Alice, review.Olga, review.Bob, review.Carol }.Select(p => p.Device.Id.ToString()).Order();
        Assert.Equal(expected, devices!.Select(d => d.DeviceId).Order());
        Assert.Equal("FRA", devices!.Single(d => d.DeviceId == review.Bob.Device.Id.ToString()).StateCode);
    }

    [Fact]
    public async Task ReviewDevices_ForSecretariatOrOutsider_Forbidden()
    {
        // Arrange
        var host = await hosts.GetHostAsync();
        using var review = await ReviewScenario.CreateAsync(host, openChannels: false);

        // Act
        using var secretariat = await review.Secretariat.Http.GetAsync(HttpRoutes.ReviewDevicesOf(review.ReviewId));
        using var outsider = await review.Mallory.Http.GetAsync(HttpRoutes.ReviewDevicesOf(review.ReviewId));

        // Assert
        await Problems.AssertAsync(secretariat, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await Problems.AssertAsync(outsider, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    private static string User() => "user-" + Guid.NewGuid().ToString("N")[..8];
}
