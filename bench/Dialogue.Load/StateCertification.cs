using SecureDialogue.Client;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Load;

/// <summary>A person a State designates for a review, and the role its focal point certifies.</summary>
internal sealed record Designation(Member Member, string StateCode, CertifiedRole Role);

/// <summary>
/// The States' part of setting up a review, as in a real one (docs/protocol.md section 20, scripts/demo.sh): the
/// secretariat registers each State's focal point with its nomination, the focal point's client publishes its device's
/// root statement, and the focal point certifies the devices of its State's people after comparing their fingerprints.
/// Clients give keys to, and accept epoch records from, certified devices only; without this no reader accepts epoch 0.
/// </summary>
internal static class StateCertification
{
    public static async Task CertifyAsync(
        RealWorld world, Member secretariat, Guid reviewId, IReadOnlyList<Designation> designations, string profiles, CancellationToken cancellationToken)
    {
        var secretariatApi = world.ApiFor(secretariat.Token);
        foreach (var state in designations.Select(d => d.StateCode).Distinct(StringComparer.Ordinal))
        {
            var focalPoint = await world.SignInAsync($"load-fp-{state.ToLowerInvariant()}-{reviewId:N}", secretariat: false, registerDevice: true, cancellationToken);
            var nomination = $"NV/{state}/2026/1";
            var registered = await secretariatApi.SetFocalPointAsync(reviewId, new SetFocalPoint(state, focalPoint.User, $"{state} focal point", nomination), cancellationToken);
            if (!registered.IsSuccess)
            {
                throw new InvalidOperationException($"Registering {state}'s focal point failed: {registered.Error}");
            }

            var client = focalPoint.Client(world.Server, Path.Combine(profiles, $"focal-point-{state}-{reviewId:N}"), TimeSpan.FromSeconds(60));
            await using (client)
            {
                // The focal point's first look at the review's members publishes its device's root statement.
                var members = await client.GetMembersAsync(reviewId, cancellationToken);
                if (!members.IsSuccess)
                {
                    throw new InvalidOperationException($"{state}'s focal point could not list the members: {members.Error}");
                }

                foreach (var designation in designations.Where(d => d.StateCode == state))
                {
                    await CertifyOneAsync(client, reviewId, designation, nomination, cancellationToken);
                }
            }
        }
    }

    // The designated person gives its device id and fingerprint out of band; the focal point looks the device up and
    // compares before certifying (sdlg certify --fingerprint).
    private static async Task CertifyOneAsync(DialogueClient client, Guid reviewId, Designation designation, string reference, CancellationToken cancellationToken)
    {
        var device = designation.Member.Device;
        var looked = await client.LookUpDeviceAsync(device.Id, cancellationToken);
        if (!looked.TryGetValue(out var found, out var error))
        {
            throw new InvalidOperationException($"Looking up the device of {designation.Member.User} failed: {error}");
        }

        if (Fingerprint.Of(found.Card) != Fingerprint.Of(device.PublicKeys))
        {
            throw new InvalidOperationException($"The server's card for {designation.Member.User} does not match the device's fingerprint.");
        }

        var certified = await client.CertifyAsync(reviewId, found.Card, found.Entry.AccountId, designation.Role, history: true, reference, cancellationToken);
        if (!certified.IsSuccess)
        {
            throw new InvalidOperationException($"Certifying the device of {designation.Member.User} failed: {certified.Error.Message}");
        }
    }
}
