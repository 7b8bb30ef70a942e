// Manager: builds the operator's parts from its options and runs them until told to stop. Every
// replica runs the syncer (serving needs no leadership); the leader alone runs the reconciler.
// Holds no decision of its own.
#pragma once

#include <memory>
#include <stop_token>

#include "base/status.h"
#include "controller/options.h"

namespace mtasts::controller {

class Manager {
 public:
  // kInvalidArgument / kFailedPrecondition with a readable message when the options cannot
  // work (no kubeconfig, a bad CA file, an address that cannot be bound).
  static StatusOr<std::unique_ptr<Manager>> Create(const Options& options);
  virtual ~Manager() = default;

  // Runs until `stop` is requested (OK) or leadership is lost (kUnavailable: exit, and a
  // restarted process campaigns afresh).
  virtual Status Run(std::stop_token stop) = 0;
};

}  // namespace mtasts::controller
