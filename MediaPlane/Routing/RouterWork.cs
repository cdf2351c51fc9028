namespace MediaPlane.Routing;

/// <summary>What the router posts to a producer's receive loop (see <see cref="Transport.LoopWorkQueue"/>).</summary>
internal enum RouterWork
{
    /// <summary>A subscriber's NACK: resend one packet (subject: the consumer; argument: its output sequence).</summary>
    Retransmit,
    /// <summary>A subscriber's PLI or FIR, or a new subscriber (subject: the producer).</summary>
    RequestKeyframe,
    /// <summary>The publisher's sender report arrived (subject: the producer; argument: its LSR).</summary>
    SenderReportReceived,
    /// <summary>The report timer: a receiver report to the publisher (subject: its session).</summary>
    ReceiverReport,
    /// <summary>The report timer: a sender report for one consumer (subject: the consumer).</summary>
    SenderReport,
    /// <summary>The publisher's packets now reach another loop: the owner lets the producer go (subject: the producer).</summary>
    HandOver,
}
