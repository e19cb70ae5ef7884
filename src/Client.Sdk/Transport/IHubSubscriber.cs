namespace SecureDialogue.Client.Transport;

/// <summary>What a channel session hears from the hub. Called on the hub's threads: implementations only signal.</summary>
internal interface IHubSubscriber
{
    /// <summary>The channel has a new item at <paramref name="sequence"/>.</summary>
    void OnEnvelopeStored(long sequence);

    /// <summary>The channel has a new epoch record.</summary>
    void OnEpochAdded(uint epoch);

    /// <summary>The review's trust changed (focal points, certificates, revocations, disclosure policy): refresh and rotate if needed.</summary>
    void OnTrustChanged();

    /// <summary>The hub (re)connected and rejoined: catch up by HTTP and flush the outbox.</summary>
    void OnConnected();
}
