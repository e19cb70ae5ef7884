using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// The matrix world's publication: review A gets a focal point for AUT (the State under review), who publishes
/// Alice's first dialogue item to the public, so that the read cells (API and portal) have a publication to read.
/// </summary>
public sealed partial class MatrixWorld
{
    private PublicationEntry? _publication;

    /// <summary>A public publication of review A (made once).</summary>
    public async Task<PublicationEntry> PublishedAsync()
    {
        if (_publication is null)
        {
            var focalPoint = await Participant.SignInAsync(Host, "matrix-publisher-aut");
            _owned.Add(focalPoint);
            using (var registered = await Review.Secretariat.Http.PostAsJsonAsync(TrustRoutes.FocalPointsOf(ReviewId),
                new SetFocalPoint("AUT", focalPoint.User, "Publishing focal point of AUT", "NV/2026/70")))
            {
                registered.EnsureSuccessStatusCode();
            }

            using var keyring = await PublicationRecords.DialogueKeyringAsync(Review.Alice, ReviewId, Review.Alice.Device.Id, epochs: 1);
            var record = await PublicationRecords.BuildAsync(Review.Alice, keyring, focalPoint, ReviewId, 1, [0], PublicationAudience.Public, "AUT", "AUT");
            using var posted = await PublicationRecords.PostAsync(focalPoint.Http, ReviewId, record.Encoded);
            posted.EnsureSuccessStatusCode();
            _publication = (await posted.Content.ReadFromJsonAsync<PublicationEntry>())!;
        }

        return _publication;
    }
}
