-- Argo CD health check for mtasts.io/MtaStsPolicy (argocd-cm key
-- resource.customizations.health.mtasts.io_MtaStsPolicy). It reads the kstatus conditions the
-- operator writes, so Argo CD and Flux (kstatus) say the same thing at every step:
--   Progressing  the operator has not yet seen this generation, or it is working toward
--                spec.mode (certificate issued, bytes served, DNS announced, testing soaking)
--   Healthy      Ready: spec.mode is served and announced
--   Degraded     Stalled: only a person can move it on (an MX failing its check, a spec that
--                cannot work, a missing CRD); the message says what and how
-- Argo CD opens only Lua's base, table and package libraries here: no string functions.
local hs = {status = "Progressing", message = "waiting for the operator to report a status"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "the operator has not yet observed generation " .. generation
  return hs
end
local ready, stalled
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "Stalled" then
    stalled = condition
  end
end
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
elseif ready ~= nil then
  hs.message = ready.message
end
return hs
